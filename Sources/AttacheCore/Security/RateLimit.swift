/// Where a caller stands with the request rate limit, for the `X-RateLimit-*` and `Retry-After` headers.
public struct RateLimit: Sendable, Hashable {
    /// Requests allowed in a burst.
    public var limit: Int
    /// Requests left in the current burst.
    public var remaining: Int
    /// Seconds until the burst is whole again.
    public var resetAfter: Int
    /// Seconds until the next request is allowed; `nil` when this one was.
    public var retryAfter: Int?

    public init(limit: Int, remaining: Int, resetAfter: Int, retryAfter: Int? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.retryAfter = retryAfter
    }
}
