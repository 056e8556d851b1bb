/// A row's primary key, which only the store uses (joins, foreign keys), beside the number its tenant's
/// clients know it by (``NumberedTable``).
struct RowKey: Sendable, Hashable {
    var row: Int64
    var number: Int64
}
