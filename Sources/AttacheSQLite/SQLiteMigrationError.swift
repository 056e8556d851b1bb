/// A table rebuild left rows whose foreign keys point nowhere; the migration was rolled back.
struct SQLiteMigrationError: Error, CustomStringConvertible {
    var table: String
    var description: String { "foreign key check failed in table \(table) after a migration" }
}
