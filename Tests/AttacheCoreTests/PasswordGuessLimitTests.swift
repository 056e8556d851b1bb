import AttacheCore
import Foundation
import Testing

@Suite("Password guess limit")
struct PasswordGuessLimitTests {
    @Test func tenAttemptsThenALockOutThatGrows() {
        let limit = PasswordGuessLimit(allowedAttempts: 10, firstLockout: 60, longestLockout: 900)
        let start = Date(timeIntervalSince1970: 1_000_000)
        var attempts: PasswordGuessLimit.Attempts?
        for index in 1...10 {
            let (kept, refused) = limit.admit(attempts, now: start)
            #expect(refused == nil && kept.count == Int64(index) && kept.lockedUntil == nil)
            attempts = kept
        }
        var (kept, refused) = limit.admit(attempts, now: start.addingTimeInterval(5))
        #expect(refused == start.addingTimeInterval(65), "the first refusal starts a minute's lock-out")
        #expect(limit.admit(kept, now: start.addingTimeInterval(64)).refusedUntil == start.addingTimeInterval(65), "refusals do not extend it")
        // Each attempt after a lock-out is checked, and locks out again at once, twice as long.
        var now = start.addingTimeInterval(65)
        for lockout in [120.0, 240, 480, 900, 900] {
            (kept, refused) = limit.admit(kept, now: now)
            #expect(refused == nil && kept.lockedUntil == now.addingTimeInterval(lockout), "\(lockout)")
            #expect(limit.admit(kept, now: now).refusedUntil == now.addingTimeInterval(lockout))
            now = now.addingTimeInterval(lockout)
        }
    }
}
