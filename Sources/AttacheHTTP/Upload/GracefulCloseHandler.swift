import NIOCore
import NIOHTTPTypes

/// Holds a connection's close until the bytes written before it have reached the socket.
///
/// Hummingbird closes a connection right after writing a response's end when it must not keep it
/// (draining on shutdown), and NIO drops writes still queued at a close: to a client reading slower
/// than the server writes, the tail of a download — up to the queue's 64 KiB — would be lost. This
/// handler sits between the HTTP codec and Hummingbird's connection handler; a close that finds bytes
/// queued waits until the queue is empty (checked every few milliseconds: the queue has no completion
/// event), for at most `limit` — a client that stopped reading is cut off. Writes pass untouched.
package final class GracefulCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    static let pollInterval = TimeAmount.milliseconds(5)
    private let limit: TimeAmount
    private var closing = false

    package init(limit: TimeAmount) {
        self.limit = limit
    }

    package func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, !closing, Self.hasQueuedBytes(context) else {
            context.close(mode: mode, promise: promise)
            return
        }
        closing = true
        let checks = max(1, limit.nanoseconds / Self.pollInterval.nanoseconds)
        closeWhenDrained(context: context, mode: mode, promise: promise, checksLeft: checks)
    }

    private func closeWhenDrained(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?, checksLeft: Int64) {
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.pollInterval) {
            if !Self.hasQueuedBytes(context) || checksLeft <= 1 || !context.channel.isActive {
                context.close(mode: mode, promise: promise)
            } else {
                self.closeWhenDrained(context: context, mode: mode, promise: promise, checksLeft: checksLeft - 1)
            }
        }
    }

    /// Whether written bytes wait in the channel's queue; a channel that cannot tell closes at once.
    private static func hasQueuedBytes(_ context: ChannelHandlerContext) -> Bool {
        let queued = (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0  // allowed: see above
        return queued > 0
    }
}
