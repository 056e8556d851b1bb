import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLKit over one SQLiteNIO connection, as sqlite-kit's own adapter does, except that its rows read
/// the column types the store uses (integers and text) directly instead of through a `Codable` decoder.
///
/// Profiled on a list of 50 attachments (29 columns a row): sqlite-kit's rows cast each requested type
/// to `SQLiteDataConvertible` at run time and back, a fifth of the route's time.
struct SQLiteConnectionSQL: SQLDatabase {
    let connection: SQLiteConnection
    private let encoder = SQLiteDataEncoder()
    private let decoder = SQLiteDataDecoder()

    init(_ connection: SQLiteConnection) {
        self.connection = connection
    }

    var eventLoop: any EventLoop { connection.eventLoop }
    var logger: Logger { connection.logger }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let (sql, rawBinds) = serialize(query)
        let binds: [SQLiteData]
        do {
            binds = try rawBinds.map { try encoder.encode($0) }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        let decoder = self.decoder
        return connection.query(sql, binds) { onRow(SQLiteColumnsRow(row: $0, decoder: decoder)) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, rawBinds) = serialize(query)
        let binds = try rawBinds.map { try encoder.encode($0) }
        let decoder = self.decoder
        try await connection.query(sql, binds) { onRow(SQLiteColumnsRow(row: $0, decoder: decoder)) }
    }
}

/// A result row whose integer and text columns decode without a `Codable` round trip; every other
/// type goes through sqlite-kit's decoder, as before.
struct SQLiteColumnsRow: SQLRow {
    let row: SQLiteRow
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { row.columns.map(\.name) }

    func contains(column: String) -> Bool {
        row.column(column) != nil
    }

    func decodeNil(column: String) throws -> Bool {
        guard let data = row.column(column) else { return true }
        return data == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = row.column(column) else {
            throw SQLiteColumnError.missing(column)
        }
        switch data {
        case .integer(let value) where D.self == Int64.self:
            return Self.same(Int64(value), as: D.self)
        case .integer(let value) where D.self == Int.self:
            return Self.same(value, as: D.self)
        case .text(let value) where D.self == String.self:
            return Self.same(value, as: D.self)
        default:
            return try decoder.decode(D.self, from: data)
        }
    }

    /// `value` as `D`, which the caller has checked is its own type.
    private static func same<Value, D>(_ value: Value, as: D.Type) -> D {
        unsafeBitCast(value, to: D.self)
    }
}

enum SQLiteColumnError: Error {
    /// The query has no column of that name (a defect in the store's SQL).
    case missing(String)
}
