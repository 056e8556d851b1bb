import AttacheTestSupport
import AttacheHTTP
import NIOCore
import NIOEmbedded
import Testing

/// A close waits for the bytes queued before it (so a draining server never cuts a response's tail),
/// but not longer than the limit. (The embedded channel queues writes until they are flushed.)
@Suite("Graceful close", .timeLimit(.minutes(3)))
struct GracefulCloseHandlerTests {
    static func connected() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: GracefulCloseHandler(limit: .seconds(5)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    @Test func aCloseWaitsForTheQueuedBytes() throws {
        let channel = try Self.connected()
        let written = channel.write(ByteBuffer(string: "the tail of a download"))
        let closed = channel.close()
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(50))
        let open = channel.isActive
        #expect(open, "the queued bytes have not gone out yet")
        channel.flush()
        #expect(throws: Never.self) { try written.wait() }
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(10))
        #expect(throws: Never.self) { try closed.wait() }
        let stillOpen = channel.isActive
        #expect(!stillOpen)
    }

    @Test func aClientThatStopsReadingIsCutOffAfterTheLimit() throws {
        let channel = try Self.connected()
        channel.write(ByteBuffer(string: "never read"), promise: nil)
        _ = channel.close()
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        let openBefore = channel.isActive
        #expect(openBefore)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        let openAfter = channel.isActive
        #expect(!openAfter)
    }

    @Test func withNothingQueuedItClosesAtOnce() throws {
        let channel = try Self.connected()
        try channel.close().wait()
        let open = channel.isActive
        #expect(!open)
    }
}
