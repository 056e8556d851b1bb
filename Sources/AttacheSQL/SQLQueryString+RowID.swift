import SQLKit

extension SQLQueryString {
    /// A row id written into the statement as a number instead of a bound parameter.
    ///
    /// SQLite (3.45 and later) plans `column = ?` differently when `?` is 0 or 1, so binding such a value
    /// marks the statement to be compiled again at its first step: every query of tenant 1, the only
    /// tenant of most installations, was parsed twice (`sqlite3Reprepare`, 9 % of a single attachment
    /// read). An `Int64` written as digits cannot inject anything.
    mutating func appendInterpolation(id value: Int64) {
        appendInterpolation(unsafeRaw: String(value))
    }
}
