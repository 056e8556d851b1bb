/// What the in-memory store refuses that a database would refuse by a constraint or a check.
enum InMemoryStoreError: Error, Equatable {
    /// A row would break a uniqueness the SQL schema has (named as `table.column`).
    case constraint(String)
    /// Files named content that was not claimed first.
    case unclaimedContent
}
