import HTTPTypes

extension HTTPField.Name {
    /// `X-Request-Id`: the per-request id, also the problem's `traceId` and the log's request id.
    package static let requestID = literal("X-Request-Id")
    /// W3C Trace Context: the caller's trace and span.
    package static let traceParent = literal("traceparent")
    package static let traceState = literal("tracestate")
    /// W3C Trace Context Level 2: the trace and the server's span, sent back.
    package static let traceResponse = literal("traceresponse")
    /// RFC 9530 `Content-Digest` of a raw upload body.
    package static let contentDigest = literal("Content-Digest")
    package static let referrerPolicy = literal("Referrer-Policy")
    /// Rate limit standing, as Laravel's and most APIs' throttles send it.
    package static let rateLimitLimit = literal("X-RateLimit-Limit")
    package static let rateLimitRemaining = literal("X-RateLimit-Remaining")
    package static let rateLimitReset = literal("X-RateLimit-Reset")
    /// A second `Host` header (the first is the request's authority).
    package static let host = literal("Host")
    /// HighLevel's API version header.
    package static let highLevelVersion = literal("Version")

    /// A name from a literal that is a valid field-name token (each is exercised by the tests).
    package static func literal(_ name: String) -> Self {
        guard let field = Self(name) else {
            preconditionFailure("'\(name)' is not a valid HTTP field name")
        }
        return field
    }
}
