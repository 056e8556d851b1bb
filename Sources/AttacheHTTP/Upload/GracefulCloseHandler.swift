import NIOCore
import NIOHTTPTypes

/// Holds a connection's close until what was written before it has reached the socket.
///
/// Hummingbird closes a connection right after writing a response's end when it must not keep it
/// (draining on shutdown, `Connection: close`), and NIO fails writes still queued at a close: to a
/// client reading slower than the server writes, the tail of a download — up to the queue's 64 KiB —
/// would be lost. This handler sits between the HTTP codec and Hummingbird's connection handler and
/// lets a close wait for the last write, for at most `limit` (a client that stopped reading is cut off).
package final class GracefulCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    private let limit: TimeAmount
    private var lastWrite: EventLoopFuture<Void>?
    private var closing = false

    package init(limit: TimeAmount) {
        self.limit = limit
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let written = promise ?? context.eventLoop.makePromise()
        lastWrite = written.futureResult
        context.write(data, promise: written)
    }

    package func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, let lastWrite, !closing else {
            context.close(mode: mode, promise: promise)
            return
        }
        closing = true
        let loop = context.eventLoop.assumeIsolated()
        let deadline = loop.scheduleTask(in: limit) {
            context.close(mode: mode, promise: nil)
        }
        lastWrite.assumeIsolated().whenComplete { _ in
            deadline.cancel()
            context.close(mode: mode, promise: promise)
        }
    }
}
