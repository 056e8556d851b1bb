/// The one error type of the core. Every face maps it to its own wire format in one place.
///
/// Messages are written for the API client: they never contain SQL, paths or stack traces.
/// The underlying cause, if any, is kept for logging only.
public struct AttacheError: Error, Sendable, CustomStringConvertible {
    public var code: Code
    /// A sentence for the client.
    public var message: String
    /// Validation messages keyed by the offending request field.
    public var fieldErrors: [String: [String]]
    /// For logs only; never sent to a client.
    public var underlying: String?
    /// For `tooManyRequests`: when to come back (faces send it as `Retry-After` and `X-RateLimit-*`).
    public var rateLimit: RateLimit?
    /// For `quotaExceeded`: the limit the upload would pass, and what is left of it.
    public var quota: QuotaRefusal?

    public init(_ code: Code, _ message: String, fieldErrors: [String: [String]] = [:], underlying: String? = nil) {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
        self.underlying = underlying
    }

    /// An error about one request field.
    public init(_ code: Code, _ message: String, field: String) {
        self.init(code, message, fieldErrors: [field: [message]])
    }

    public var description: String {
        underlying.map { "\(code): \(message) (\($0))" } ?? "\(code): \(message)"
    }
}
