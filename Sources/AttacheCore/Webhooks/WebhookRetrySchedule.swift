import Foundation

/// When a delivery that failed is tried again: Standard Webhooks' suggested schedule by default — at
/// once, then after 5 seconds, 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours and 10 hours, about
/// a day and a few hours in all — each wait drawn within ±20 % so receivers that failed together are
/// not all retried in the same second. Tests compress it (`--webhook-retry-schedule`).
public struct WebhookRetrySchedule: Sendable, Hashable {
    public static let standard = WebhookRetrySchedule(waits: [5, 300, 1800, 7200, 18_000, 36_000, 36_000].map { .seconds($0) })

    /// The wait before each retry: `waits[0]` after the first attempt, and so on. A delivery gets
    /// `waits.count + 1` attempts.
    public var waits: [Duration]
    /// How far each wait may be drawn from its value, as a fraction of it.
    public var jitter: Double

    public init(waits: [Duration], jitter: Double = 0.2) {
        self.waits = waits
        self.jitter = jitter
    }

    /// The wait after attempt number `attempt` (1 for the first) failed; `nil` when it was the last.
    /// `draw` is a number in 0..<1 (random outside tests).
    public func wait(after attempt: Int, draw: Double) -> Duration? {
        guard attempt >= 1, attempt <= waits.count else { return nil }
        return waits[attempt - 1] * (1 + jitter * (2 * draw - 1))
    }

    /// Reads a schedule written as seconds separated by commas (`0.1,0.2,0.4`).
    public init?(secondsList text: String) {
        var waits: [Duration] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let seconds = Double(part.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds <= 7 * 86_400 else { return nil }
            waits.append(.milliseconds(Int64((seconds * 1000).rounded())))
        }
        guard !waits.isEmpty else { return nil }
        self.init(waits: waits)
    }
}
