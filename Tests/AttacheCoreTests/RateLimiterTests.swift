@testable import AttacheCore
import Testing

@Suite("Rate limits", .timeLimit(.minutes(3)))
struct RateLimiterTests {
    @Test func aBucketAllowsItsBurstThenRefillsAtItsRate() {
        let limiter = RateLimiter(perSecond: 2, burst: 3)
        let start = ContinuousClock.now
        for remaining in [2, 1, 0] {
            let (allowed, state) = limiter.take("t", now: start)
            #expect(allowed && state.remaining == remaining && state.retryAfter == nil)
        }
        let (refused, state) = limiter.take("t", now: start)
        #expect(!refused)
        #expect(state.retryAfter == 1 && state.limit == 3 && state.remaining == 0)
        #expect(limiter.take("other", now: start).allowed, "every key has its own bucket")
        #expect(limiter.take("t", now: start + .milliseconds(500)).allowed, "half a second refills one request at 2/s")
        #expect(!limiter.take("t", now: start + .milliseconds(500)).allowed)
        #expect(limiter.take("t", now: start + .seconds(60)).state.remaining == 2, "a bucket never holds more than its burst")
    }

    @Test func memoryStaysBounded() {
        let limiter = RateLimiter(perSecond: 1, burst: 1, capacity: 100)
        let start = ContinuousClock.now
        for index in 0..<1000 {
            _ = limiter.take("k\(index)", now: start)
            #expect(limiter.trackedKeys <= 100)
        }
        // Refilled buckets go first: after their refill time, old keys make room for new ones.
        _ = limiter.take("late", now: start + .seconds(5))
        #expect(limiter.trackedKeys <= 2)
    }

    @Test func repeatedFailedSignInsLockTheIdentifierOut() {
        let throttle = SignInThrottle(allowedFailures: 2, firstLockout: .seconds(10))
        let start = ContinuousClock.now
        throttle.failed("bloxs:key", now: start)
        throttle.failed("bloxs:key", now: start)
        #expect(throttle.wait(for: "bloxs:key", now: start) == nil, "the allowed failures do not lock")
        throttle.failed("bloxs:key", now: start)
        #expect(throttle.wait(for: "bloxs:key", now: start) == 10)
        throttle.failed("bloxs:key", now: start)
        #expect(throttle.wait(for: "bloxs:key", now: start) == 20, "each further failure doubles the lock-out")
        #expect(throttle.wait(for: "bloxs:other", now: start) == nil)
        throttle.succeeded("bloxs:key")
        #expect(throttle.wait(for: "bloxs:key", now: start) == nil)
    }
}
