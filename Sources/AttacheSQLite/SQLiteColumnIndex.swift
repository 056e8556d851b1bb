/// The column names of a prepared statement's result, and where each is, made once per statement.
final class SQLiteColumnIndex: Sendable {
    let names: [String]
    private let positions: [String: Int]

    init(names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        for (position, name) in names.enumerated() where positions[name] == nil {
            positions[name] = position
        }
        self.positions = positions
    }

    /// The position of the first column called `name`.
    func position(of name: String) -> Int? {
        positions[name]
    }
}
