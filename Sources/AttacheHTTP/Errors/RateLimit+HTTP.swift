public import AttacheCore
public import HTTPTypes

extension RateLimit {
    /// `X-RateLimit-Limit`, `-Remaining`, `-Reset` (seconds until the burst is whole), and `Retry-After`
    /// when the request was refused.
    package var headerFields: HTTPFields {
        var fields = HTTPFields()
        fields[.rateLimitLimit] = String(limit)
        fields[.rateLimitRemaining] = String(remaining)
        fields[.rateLimitReset] = String(resetAfter)
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        return fields
    }
}

extension AttacheError {
    /// The rate limit headers an error response carries (none for other errors).
    package var rateLimitHeaders: HTTPFields {
        rateLimit?.headerFields ?? [:]
    }
}
