import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection for requests no HTTP client would send: truncated bodies, abrupt disconnects,
/// `Expect: 100-continue` handshakes.
///
/// Its blocking socket calls run on a thread of their own, never on a pool that the in-process
/// server needs (the cooperative pool, or the NIO thread pool that SQLite queries run on).
package final class RawConnection: @unchecked Sendable {
    private let socket: Int32
    private var isOpen = true

    /// - Parameters:
    ///   - from: the loopback address to connect from (`127.0.0.2`: another client address than every
    ///     other test request's, for limits kept per address).
    ///   - receiveTimeout: how long a read waits for the server's next bytes (a request that stores
    ///     megabytes in object storage on a loaded machine may need longer than the default).
    package init(port: Int, from localAddress: String? = nil, receiveTimeout: Int = 10) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let localAddress {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            local.sin_addr.s_addr = inet_addr(localAddress)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw TestFailure("cannot bind to \(localAddress)") }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw TestFailure("connect failed") }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    package func send(_ bytes: [UInt8]) async throws {
        await Self.onOwnThread { self.sendBlocking(bytes) }
    }

    package func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    /// Reads until `marker` appears, the peer closes, or the timeout passes.
    package func receive(until marker: String = "\r\n\r\n") async throws -> String {
        await Self.onOwnThread { self.receiveBlocking(until: marker) }
    }

    /// Sends `byte` every `interval` for at most `duration`, on a thread of its own (never waiting for
    /// the cooperative pool, which a loaded machine can hold for longer than a server's idle timeout),
    /// until the returned stop is called.
    package func trickle(_ byte: UInt8, every interval: Duration, for duration: Duration) -> @Sendable () -> Void {
        let stopped = StopFlag()
        let thread = Thread {
            let clock = ContinuousClock()
            let started = clock.now
            while started.duration(to: clock.now) < duration, stopped.ifRunning({ self.sendBlocking([byte]) }) {
                Thread.sleep(forTimeInterval: Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
            }
        }
        thread.start()
        return { stopped.set() }
    }

    private final class StopFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        /// Runs `body` unless stopped, under the lock: once ``set()`` returns, `body` never runs again
        /// (so nothing is sent on a socket closed after the stop). - Returns: whether it ran.
        func ifRunning(_ body: () -> Void) -> Bool {
            lock.withLock {
                guard !value else { return false }
                body()
                return true
            }
        }
        func set() { lock.withLock { value = true } }
    }

    private static func onOwnThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    private func sendBlocking(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    private func receiveBlocking(until marker: String) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            data += buffer[0..<count]
            if String(decoding: data, as: UTF8.self).contains(marker) { break }
        }
        return String(decoding: data, as: UTF8.self)
    }

    package func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(socket)
    }

    deinit { close() }
}
