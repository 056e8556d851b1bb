import AttacheHTTP
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

/// A close waits for what was written before it (so a draining server never cuts a response's tail),
/// but not longer than the limit.
@Suite("Graceful close")
struct GracefulCloseHandlerTests {
    @Test func aCloseWaitsForTheLastWrite() throws {
        let channel = EmbeddedChannel(handler: GracefulCloseHandler(limit: .seconds(5)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        let written = channel.write(HTTPResponsePart.end(nil))
        let closed = channel.close()
        #expect(channel.isActive, "the response's end has not gone out yet")
        channel.flush()
        #expect(throws: Never.self) { try written.wait() }
        #expect(throws: Never.self) { try closed.wait() }
        #expect(!channel.isActive)
    }

    @Test func aClientThatStopsReadingIsCutOffAfterTheLimit() throws {
        let channel = EmbeddedChannel(handler: GracefulCloseHandler(limit: .seconds(5)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        _ = channel.write(HTTPResponsePart.end(nil))
        _ = channel.close()
        channel.embeddedEventLoop.advanceTime(by: .seconds(4))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test func withNothingPendingItClosesAtOnce() throws {
        let channel = EmbeddedChannel(handler: GracefulCloseHandler(limit: .seconds(5)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.close().wait()
        #expect(!channel.isActive)
    }
}
