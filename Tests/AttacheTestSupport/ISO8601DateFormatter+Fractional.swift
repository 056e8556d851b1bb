import Foundation

extension ISO8601DateFormatter {
    /// Parses the fractional-second timestamps the vendors answer with.
    package static var fractional: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
