public import AttacheCore
public import AttacheJSON
import Foundation
public import Hummingbird
import NIOCore

/// The per-request context of every Attache route.
public struct AttacheRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller found by ``BearerAuthenticationMiddleware``, if any. Routes that need one are added
    /// to ``FaceRoutes/authenticated(_:)`` and read it from ``AuthenticatedRequestContext``.
    public var principal: Principal?
    /// The connection, used to send `100 Continue` when a route is ready for the body.
    package let channel: (any Channel)?
    /// What inner middleware found out, for the access log and metrics.
    package let observation = RequestObservation()
    /// The W3C trace of the request (``RequestObservationMiddleware``).
    package var trace: RequestTrace?

    /// The id errors and logs name the request by: the trace id, or Hummingbird's request id.
    package var traceID: String {
        trace?.traceID ?? id
    }

    /// The W3C id of the request's span, `00-<trace id>-<span id>-<flags>` (ASP.NET's `traceId`).
    package var traceParent: String {
        trace?.traceParent ?? "00-\(id)-\(String(id.prefix(16)))-00"
    }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The client's IP address, for request limits; `nil` when unknown.
    package var clientAddress: String? {
        channel?.remoteAddress?.ipAddress
    }

    /// Where this request came from, for the audit trail.
    package var origin: RequestOrigin {
        RequestOrigin(clientAddress: clientAddress, requestID: id)
    }

    /// JSON request bodies (not uploads) are capped at 1 MiB.
    public var maxUploadSize: Int { 1024 * 1024 }

    public var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public var responseEncoder: JSONBodyEncoder { JSONBodyEncoder() }
}
