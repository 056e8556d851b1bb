/// Failures of the SQL metadata store that are bugs or corruption, not client errors.
enum SQLStoreError: Error, CustomStringConvertible {
    case corruptRow(column: String)
    case missingReturnedRow(statement: String)
    case unclaimedContent
    case foreignKeyViolation(table: String)

    var description: String {
        switch self {
        case .corruptRow(let column): "column \(column) holds a value this version cannot read"
        case .missingReturnedRow(let statement): "\(statement) returned no row"
        case .unclaimedContent: "files were inserted without a claim on their content"
        case .foreignKeyViolation(let table): "a migration left rows in \(table) whose foreign keys do not match"
        }
    }
}
