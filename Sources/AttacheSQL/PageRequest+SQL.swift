import AttacheCore
import SQLKit

extension PageRequest {
    /// The end of a keyset page query on `column` (a row's `id`, or the tenant's `number`): after the
    /// cursor, in the page's order, one row more than the page (to know whether another follows; see
    /// ``PageCursor/page(_:limit:id:)``).
    func keysetClause(on column: String = "id") -> SQLQueryString {
        var sql: SQLQueryString = ""
        if let afterID {
            sql += newestFirst ? " AND \(unsafeRaw: column) < \(bind: afterID)" : " AND \(unsafeRaw: column) > \(bind: afterID)"
        }
        sql += newestFirst ? " ORDER BY \(unsafeRaw: column) DESC" : " ORDER BY \(unsafeRaw: column)"
        sql += " LIMIT \(literal: limit + 1)"
        return sql
    }
}
