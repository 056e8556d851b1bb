import Foundation

/// `yyyy-MM-ddTHH:mm:ssZ` in UTC, computed from the day count (no calendar, no formatter).
package enum ISO8601Seconds {
    package static func format(_ date: Date) -> String {
        var bytes: [UInt8] = []
        write(date, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the text to `bytes`. Years outside 0...9999 are written with as many digits as they need.
    package static func write(_ date: Date, into bytes: inout [UInt8]) {
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
