public import Foundation

/// When a job that failed in passing is tried again: 30 s after the first try, doubling each time up to
/// an hour, and never after the ``maximumAttempts``th — then the failure is recorded for good, so a job
/// that keeps failing cannot make a storm of retries.
public struct DerivationBackoff: Sendable, Hashable {
    public var firstDelay: TimeInterval
    public var longestDelay: TimeInterval
    public var maximumAttempts: Int

    public init(firstDelay: TimeInterval = 30, longestDelay: TimeInterval = 3600, maximumAttempts: Int = 5) {
        self.firstDelay = firstDelay
        self.longestDelay = longestDelay
        self.maximumAttempts = maximumAttempts
    }

    /// When to try a job again after its `attempt`th try failed with `failure`; `nil`: never.
    public func retryTime(after attempt: Int, failure: DerivationFailure, now: Date) -> Date? {
        guard !failure.isPermanent, attempt < maximumAttempts else { return nil }
        let delay = min(longestDelay, firstDelay * pow(2, Double(max(attempt - 1, 0))))
        return now.addingTimeInterval(delay)
    }
}
