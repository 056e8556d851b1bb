import AttacheApplication
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// What `serve` does on SIGTERM or SIGINT: `/readyz` turns 503 at once, new requests are still served
/// for `delay` (load balancers notice and move away), then the listener closes and requests in flight
/// finish — within the server's maximum graceful shutdown duration, after which they are cut off. A
/// second signal stops at once.
final class Drain: Sendable {
    let readiness: Readiness
    let delay: Duration
    let logger: Logger
    private let caught = Mutex<UnixSignal?>(nil)

    init(readiness: Readiness, delay: Duration, logger: Logger) {
        self.readiness = readiness
        self.delay = delay
        self.logger = logger
    }

    /// The signal that started the drain; `nil` while none came.
    var signal: UnixSignal? { caught.withLock { $0 } }

    /// Why `serve` stopped without waiting for requests in flight.
    struct Interrupted: Error, CustomStringConvertible {
        var description: String { "stopped by a second signal before the requests in flight finished" }
    }

    /// Waits for a signal, then drains `server`. Returns when cancelled (the server has stopped);
    /// throws on a second signal, even during the delay.
    func run(stopping server: ServiceGroup) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var signals = await UnixSignalsSequence(trapping: .sigterm, .sigint).makeAsyncIterator()
            guard let signal = await signals.next() else { return }
            caught.withLock { $0 = signal }
            logger.info("draining", metadata: ["signal": "\(signal)", "delay": "\(delay)"])
            readiness.beginDraining()
            group.addTask {
                try? await Task.sleep(for: self.delay)  // allowed: cancelled means the server is stopping anyway
                await server.triggerGracefulShutdown()
            }
            guard await signals.next() != nil else { return }
            throw Interrupted()
        }
    }
}
