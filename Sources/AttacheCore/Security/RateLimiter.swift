import Synchronization

/// Token buckets, one per key (a token, or a client address): `burst` requests at once, refilled at
/// `perSecond`. In memory, so each node counts its own requests (behind a load balancer spreading
/// requests evenly, a caller gets about `nodes ×` the rate).
public final class RateLimiter: Sendable {
    public let perSecond: Double
    public let burst: Int
    /// Keys kept at most; past it, buckets that have refilled are forgotten (a full bucket and a missing
    /// one mean the same), and if none has, all are.
    let capacity: Int

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perSecond: Double, burst: Int, capacity: Int = 100_000) {
        self.perSecond = max(perSecond, 0.001)
        self.burst = max(burst, 1)
        self.capacity = capacity
    }

    /// Takes one request from `key`'s bucket. - Returns: whether it may go ahead, and the state after it.
    public func take(_ key: String, now: ContinuousClock.Instant = .now) -> (allowed: Bool, state: RateLimit) {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: Double(burst), updated: now)
            let elapsed = now - bucket.updated
            let seconds = elapsed.timeInterval
            bucket.tokens = min(Double(burst), bucket.tokens + max(seconds, 0) * perSecond)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            if buckets.count >= capacity, buckets[key] == nil { forgetRefilled(&buckets, now: now) }
            buckets[key] = bucket
            let resetAfter = Int(((Double(burst) - bucket.tokens) / perSecond).rounded(.up))
            let retryAfter = allowed ? nil : max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
            return (allowed, RateLimit(limit: burst, remaining: Int(bucket.tokens), resetAfter: resetAfter, retryAfter: retryAfter))
        }
    }

    /// How many keys are tracked now.
    var trackedKeys: Int { buckets.withLock { $0.count } }

    private func forgetRefilled(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let refill = Duration.seconds(Double(burst) / perSecond)
        buckets = buckets.filter { now - $0.value.updated < refill }
        if buckets.count >= capacity { buckets.removeAll(keepingCapacity: true) }
    }
}
