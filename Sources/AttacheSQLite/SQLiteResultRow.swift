import SQLKit
import SQLiteKit

/// One result row, read out of the statement when it was stepped to.
///
/// Integer and text columns, which are all the store reads, decode without a `Codable` round trip:
/// profiled on a list of 50 attachments (29 columns a row), sqlite-kit's rows cast each requested
/// type to `SQLiteDataConvertible` at run time and back, a fifth of the route's time. Any other type
/// goes through sqlite-kit's decoder.
struct SQLiteResultRow: SQLRow {
    let columns: SQLiteColumnIndex
    let values: [SQLiteData]
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool {
        columns.position(of: column) != nil
    }

    func decodeNil(column: String) throws -> Bool {
        guard let position = columns.position(of: column) else { return true }
        return values[position] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let position = columns.position(of: column) else {
            throw SQLiteColumnError.missing(column)
        }
        switch values[position] {
        case .integer(let value) where D.self == Int64.self:
            return Self.same(Int64(value), as: D.self)
        case .integer(let value) where D.self == Int.self:
            return Self.same(value, as: D.self)
        case .text(let value) where D.self == String.self:
            return Self.same(value, as: D.self)
        case let value:
            return try decoder.decode(D.self, from: value)
        }
    }

    /// `value` as `D`, which the caller has checked is its own type.
    private static func same<Value, D>(_ value: Value, as: D.Type) -> D {
        unsafeBitCast(value, to: D.self)
    }
}
