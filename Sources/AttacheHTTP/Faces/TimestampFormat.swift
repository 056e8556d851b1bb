import Foundation

/// Date renderings used on the wire. Format styles are values, so nothing is allocated per call beyond
/// the string.
package enum TimestampFormat {
    private static let seconds = Date.ISO8601FormatStyle(timeZone: .gmt)
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// ISO 8601 with a numeric offset and no fraction: `2018-08-02T13:01:09+00:00` (PropertyDeck).
    package static func withOffset(_ date: Date) -> String {
        String(seconds.format(date).dropLast()) + "+00:00"
    }

    /// ISO 8601 in UTC with fractional seconds: `2020-12-08T17:37:03.342Z` (ONLYOFFICE, HighLevel).
    package static func utcFractional(_ date: Date) -> String {
        fractional.format(date)
    }

    /// RFC 9110 IMF-fixdate: `Tue, 24 Nov 2026 08:48:09 GMT` (`Last-Modified`).
    package static func httpDate(_ date: Date) -> String {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String {
            let number = value ?? 0
            return number < 10 ? "0\(number)" : "\(number)"
        }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) GMT"
    }
}
