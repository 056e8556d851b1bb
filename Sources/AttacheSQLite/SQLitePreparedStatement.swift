import NIOCore
import SQLiteKit
import VaporCSQLite

/// A compiled statement that a ``SQLiteHandle`` keeps for the next time its text comes, and the
/// column index of its results.
struct SQLitePreparedStatement {
    /// SQLite's `SQLITE_TRANSIENT`: it copies a bound text or blob before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    let raw: OpaquePointer
    let columns: SQLiteColumnIndex

    /// Compiles `sql` (its first statement) on `connection`, marked as long-lived.
    static func prepare(_ sql: String, on connection: OpaquePointer) throws -> SQLitePreparedStatement {
        var raw: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard result == SQLITE_OK, let raw else {
            throw SQLiteHandle.error(result, on: connection, sql: sql)
        }
        let count = sqlite_nio_sqlite3_column_count(raw)
        var names: [String] = []
        names.reserveCapacity(Int(count))
        for position in 0..<count {
            names.append(sqlite_nio_sqlite3_column_name(raw, position).map { String(cString: $0) } ?? "")
        }
        return SQLitePreparedStatement(raw: raw, columns: SQLiteColumnIndex(names: names))
    }

    func bind(_ values: [SQLiteData], on connection: OpaquePointer, sql: String) throws {
        for (offset, value) in values.enumerated() {
            let position = Int32(offset + 1)
            let result: Int32
            switch value {
            case .integer(let integer):
                result = sqlite_nio_sqlite3_bind_int64(raw, position, Int64(integer))
            case .float(let double):
                result = sqlite_nio_sqlite3_bind_double(raw, position, double)
            case .text(let text):
                result = sqlite_nio_sqlite3_bind_text64(
                    raw, position, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
            case .blob(let buffer):
                result = buffer.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob64(raw, position, $0.baseAddress, UInt64($0.count), Self.transient)
                }
            case .null:
                result = sqlite_nio_sqlite3_bind_null(raw, position)
            }
            guard result == SQLITE_OK else {
                throw SQLiteHandle.error(result, on: connection, sql: sql)
            }
        }
    }

    /// Steps to the next row: its values, or `nil` when there are no more.
    func step(on connection: OpaquePointer, sql: String) throws -> [SQLiteData]? {
        let result = sqlite_nio_sqlite3_step(raw)
        switch result {
        case SQLITE_ROW:
            var values: [SQLiteData] = []
            values.reserveCapacity(columns.names.count)
            for position in 0..<Int32(columns.names.count) {
                values.append(value(at: position))
            }
            return values
        case SQLITE_DONE:
            return nil
        default:
            throw SQLiteHandle.error(result, on: connection, sql: sql)
        }
    }

    /// Ends the statement's run (and with it any read transaction it holds) and forgets its bindings.
    func reset() {
        // The result repeats the last step's error, which that step has reported already.
        _ = sqlite_nio_sqlite3_reset(raw)
        _ = sqlite_nio_sqlite3_clear_bindings(raw)
    }

    func finalize() {
        sqlite_nio_sqlite3_finalize(raw)
    }

    private func value(at position: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(raw, position) {
        case SQLITE_INTEGER:
            return .integer(Int(sqlite_nio_sqlite3_column_int64(raw, position)))
        case SQLITE_FLOAT:
            return .float(sqlite_nio_sqlite3_column_double(raw, position))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(raw, position) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(raw, position))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(raw, position))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(raw, position) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default:
            return .null
        }
    }
}
