import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Writes an interim `100 Continue` response when a route asks for the request body.
///
/// Sits in the channel pipeline after the HTTP codec (see ``AttacheServer``). Routes trigger it through
/// ``AttacheRequestContext/acceptBody(of:)``.
package final class ExpectContinueHandler: ChannelOutboundHandler, RemovableChannelHandler {
    package init() {}

    package typealias OutboundIn = HTTPResponsePart
    package typealias OutboundOut = HTTPResponsePart

    /// The user event that asks for a `100 Continue`.
    package struct SendContinue: Sendable {}

    package func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is SendContinue else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: promise)
    }
}
