/// A SQLite call that failed, with SQLite's (extended) result code and message.
struct SQLiteCallError: Error, CustomStringConvertible {
    /// The result code, e.g. `SQLITE_BUSY` (5) or `SQLITE_CONSTRAINT_UNIQUE` (2067).
    var code: Int32
    var message: String
    /// The statement's text, when the failure belongs to one (never its bound values).
    var sql: String?

    var description: String {
        if let sql { return "SQLite error \(code): \(message) (in \(sql))" }
        return "SQLite error \(code): \(message)"
    }
}
