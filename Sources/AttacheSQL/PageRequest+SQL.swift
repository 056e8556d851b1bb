import AttacheCore
import SQLKit

extension PageRequest {
    /// The end of a keyset page query on `id`: after the cursor, in the page's order, one row more than
    /// the page (to know whether another follows; see ``PageCursor/page(_:limit:id:)``).
    var keysetClause: SQLQueryString {
        var sql: SQLQueryString = ""
        if let afterID {
            sql += newestFirst ? " AND id < \(bind: afterID)" : " AND id > \(bind: afterID)"
        }
        sql += newestFirst ? " ORDER BY id DESC" : " ORDER BY id"
        sql += " LIMIT \(literal: limit + 1)"
        return sql
    }
}
