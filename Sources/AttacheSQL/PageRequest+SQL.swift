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

extension NewestFirstPageRequest {
    /// The end of a newest-first page query on a row's `created_at` and `id`: after the cursor, newest
    /// first (ties by id), one row more than the page (see ``NewestFirstPageRequest/page(_:position:)``).
    var keysetClause: SQLQueryString {
        var sql: SQLQueryString = ""
        if let after {
            let time = after.time.millisecondsSince1970
            sql += " AND (created_at < \(bind: time) OR (created_at = \(bind: time) AND id > \(bind: after.id.databaseText)))"
        }
        sql += " ORDER BY created_at DESC, id LIMIT \(literal: limit + 1)"
        return sql
    }
}
