extension AttacheService {
    /// Counts one request against `key` (a token or a client address).
    /// - Returns: the caller's standing, for response headers; `nil` when limits are off.
    /// - Throws: `tooManyRequests` (with ``AttacheError/rateLimit``) when the caller is over the limit.
    public func admitRequest(from key: String) throws(AttacheError) -> RateLimit? {
        guard let requestLimits else { return nil }
        let (allowed, state) = requestLimits.take(key)
        guard allowed else {
            var error = AttacheError(.tooManyRequests, "Too many requests; try again in \(state.retryAfter ?? 1) seconds.")
            error.rateLimit = state
            throw error
        }
        return state
    }
}
