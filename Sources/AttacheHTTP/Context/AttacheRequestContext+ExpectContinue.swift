import HTTPTypes
import Hummingbird
import NIOCore

extension AttacheRequestContext {
    /// Tells a client that sent `Expect: 100-continue` to go ahead with the body.
    ///
    /// Routes call this once they have authorised the request and checked what they can from the
    /// headers, right before they read the body. Until then a client waits, so a request refused
    /// early (401, 403, 404, 413) is answered without the body ever being sent.
    package func acceptBody(of request: Request) {
        guard let expectation = request.headers[.expect], expectation.lowercased() == "100-continue", let channel else { return }
        channel.triggerUserOutboundEvent(ExpectContinueHandler.SendContinue(), promise: nil)
    }
}
