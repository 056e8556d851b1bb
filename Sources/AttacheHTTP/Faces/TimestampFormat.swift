import Foundation

/// Date renderings vendors use.
enum TimestampFormat {
    /// ISO 8601 with a numeric offset and no fraction: `2018-08-02T13:01:09+00:00` (PropertyDeck).
    static func withOffset(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: date)
    }

    /// ISO 8601 in UTC with fractional seconds: `2020-12-08T17:37:03.342Z` (ONLYOFFICE, HighLevel).
    static func utcFractional(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
