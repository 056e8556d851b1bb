import AttacheCore
import NIOCore

/// One `zINSTREAM` conversation: each batch goes out as a length-prefixed chunk as the upload receives it,
/// and a zero-length chunk ends the stream and asks for the verdict. Every wait on `clamd` is bounded by
/// the timeout: past it the connection is closed, which fails what was waiting.
final class ClamAVScan: ContentScan {
    private let channel: any Channel
    private let reply: EventLoopFuture<String>
    private let timeout: TimeAmount

    init(channel: any Channel, reply: EventLoopFuture<String>, timeout: TimeAmount) {
        self.channel = channel
        self.reply = reply
        self.timeout = timeout
    }

    /// Sends the command. - Throws: when `clamd` does not take it in time.
    func start() async throws {
        try await bounded(channel.writeAndFlush(ByteBuffer(string: "zINSTREAM\0")))
    }

    func write(_ bytes: ByteBuffer) async throws {
        guard bytes.readableBytes > 0 else { return }
        var length = channel.allocator.buffer(capacity: 4)
        length.writeInteger(UInt32(bytes.readableBytes))
        channel.write(length, promise: nil)
        do {
            try await bounded(channel.writeAndFlush(bytes))
        } catch {
            // clamd closes the connection when it refuses the stream (size limit): its answer says why.
            if case .success(let text) = await boundedResult(reply) {
                throw ClamAVError.scannerError(text)
            }
            throw error
        }
    }

    func verdict() async throws -> ScanVerdict {
        var end = channel.allocator.buffer(capacity: 4)
        end.writeInteger(UInt32(0))
        // A failed write means clamd already answered or hung up; the answer (or its absence) tells which.
        _ = await boundedResult(channel.writeAndFlush(end))
        let text = try await bounded(reply)
        channel.close(promise: nil)
        return try ClamAVReply.verdict(of: text)
    }

    func cancel() async {
        channel.close(promise: nil)
    }

    private func bounded<Value: Sendable>(_ future: EventLoopFuture<Value>) async throws -> Value {
        try await boundedResult(future).get()
    }

    private func boundedResult<Value: Sendable>(_ future: EventLoopFuture<Value>) async -> Result<Value, any Error> {
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        defer { timer.cancel() }
        do {
            return .success(try await future.get())
        } catch {
            return .failure(error)
        }
    }
}
