import Foundation

/// Date renderings used on the wire.
package enum TimestampFormat {
    /// What ``parseISO8601(_:)`` reads first.
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// ISO 8601 in UTC to the second: `2026-11-30T22:58:10Z` (the native API's dates). Computed from the
    /// day count, without a calendar or formatter: it is written for every date of every list.
    package static func utcSeconds(_ date: Date) -> String {
        var bytes: [UInt8] = []
        writeUTCSeconds(date, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A calendar day in UTC, `2027-01-31` (an attachment's `expiresOn`).
    package static func calendarDay(_ date: Date) -> String {
        String(utcSeconds(date).prefix(10))
    }

    /// Reads a calendar day, `YYYY-MM-DD`, as midnight UTC of that day; `nil` for anything else, a day
    /// that does not exist (`2026-02-30`) included.
    package static func parseCalendarDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 10, parts.count == 3, parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), year >= 1
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)), calendarDay(date) == text else { return nil }
        return date
    }

    /// ISO 8601 with a numeric offset and no fraction: `2018-08-02T13:01:09+00:00` (PropertyDeck).
    package static func withOffset(_ date: Date) -> String {
        String(utcSeconds(date).dropLast()) + "+00:00"
    }

    /// ISO 8601 in UTC with fractional seconds: `2020-12-08T17:37:03.342Z` (ONLYOFFICE, HighLevel).
    /// Milliseconds are truncated, as Foundation's ISO 8601 format style writes them (ParsingTests
    /// compares the two); computed as ``utcSeconds(_:)`` is: it is written on every log line.
    package static func utcFractional(_ date: Date) -> String {
        var bytes: [UInt8] = []
        writeUTCMilliseconds(date, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends ``utcFractional(_:)``'s text to `bytes`.
    private static func writeUTCMilliseconds(_ date: Date, into bytes: inout [UInt8]) {
        // From the interval Date keeps (since 2001), as Foundation does: the 1970 interval is a sum that
        // can round a fraction up past a millisecond.
        let reference = date.timeIntervalSinceReferenceDate
        let whole = reference.rounded(.down)
        let thousandths = Int64(((reference - whole) * 1000).rounded(.down))
        writeUTCSeconds(Date(timeIntervalSinceReferenceDate: whole), into: &bytes)
        bytes.removeLast()
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(thousandths / 100))
        digits(thousandths % 100, into: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Reads an ISO 8601 date and time with a zone (`Z` or an offset), with or without fractional
    /// seconds, or a plain date (`2026-12-01`, midnight UTC). - Returns: `nil` for anything else.
    package static func parseISO8601(_ text: String) -> Date? {
        if let date = try? fractional.parse(text) { return date }  // allowed: the next formats are tried
        if let date = try? Date.ISO8601FormatStyle(timeZone: .gmt).parse(text) { return date }  // allowed: as above
        return try? Date.ISO8601FormatStyle(timeZone: .gmt).year().month().day().parse(text)  // allowed: no match is nil
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

    /// Appends ``utcSeconds(_:)`` of `date` to `bytes`. Years outside 0...9999 get as many digits as they need.
    package static func writeUTCSeconds(_ date: Date, into bytes: inout [UInt8]) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let (day, time) = secondOfDay < 0 ? (days - 1, secondOfDay + 86_400) : (days, secondOfDay)
        let (year, month, dayOfMonth) = civil(daysSince1970: day)
        if year < 0 || year > 9999 {
            bytes.append(contentsOf: String(year).utf8)
        } else {
            digits(year / 100, into: &bytes)
            digits(year % 100, into: &bytes)
        }
        bytes.append(UInt8(ascii: "-"))
        digits(month, into: &bytes)
        bytes.append(UInt8(ascii: "-"))
        digits(dayOfMonth, into: &bytes)
        bytes.append(UInt8(ascii: "T"))
        digits(time / 3600, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(time / 60 % 60, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        digits(time % 60, into: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Two decimal digits of `value` (0...99).
    private static func digits(_ value: Int64, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "0") + UInt8(value / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// The proleptic Gregorian date of a day number (Howard Hinnant's `civil_from_days`).
    private static func civil(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
