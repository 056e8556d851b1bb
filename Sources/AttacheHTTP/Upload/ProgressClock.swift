import AttacheCore

/// Cuts off a body that does not make progress: at least `minimum` bytes per `timeout`. A client that
/// sends nothing at all is closed by the server's idle timeout; this catches one that trickles.
package struct ProgressClock {
    package let timeout: Duration
    package let minimum: Int
    private var windowStart = ContinuousClock.now
    private var bytesInWindow = 0

    package init(timeout: Duration, minimum: Int) {
        self.timeout = timeout
        self.minimum = minimum
    }

    /// Counts a chunk. - Throws: `requestTimeout` when a whole window passed with too few bytes.
    package mutating func record(_ count: Int) throws(AttacheError) {
        bytesInWindow += count
        if bytesInWindow >= minimum {
            windowStart = .now
            bytesInWindow = 0
        } else if windowStart.duration(to: .now) > timeout {
            throw AttacheError(.requestTimeout, "The request body arrived too slowly (under \(minimum) bytes in \(timeout)).")
        }
    }
}
