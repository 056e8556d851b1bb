import AttacheCore
import Foundation
import SQLKit

extension SQLRow {
    func int64(_ column: String) throws -> Int64 {
        try decode(column: column, as: Int64.self)
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        try decodeNil(column: column) ? nil : int64(column)
    }

    func string(_ column: String) throws -> String {
        try decode(column: column, as: String.self)
    }

    func optionalString(_ column: String) throws -> String? {
        try decodeNil(column: column) ? nil : decode(column: column, as: String.self)
    }

    /// Timestamps are stored as milliseconds since 1970.
    func date(_ column: String) throws -> Date {
        Date(millisecondsSince1970: try int64(column))
    }

    func optionalDate(_ column: String) throws -> Date? {
        try decodeNil(column: column) ? nil : date(column)
    }

    func uuid(_ column: String) throws -> UUID {
        let text = try string(column)
        guard let uuid = UUID(text: text) else {
            throw SQLStoreError.corruptRow(column: column)
        }
        return uuid
    }

    func enumValue<Value: RawRepresentable>(_ column: String, as: Value.Type) throws -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: try string(column)) else {
            throw SQLStoreError.corruptRow(column: column)
        }
        return value
    }
}

extension Date {
    init(millisecondsSince1970 milliseconds: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }

    var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }
}

extension UUID {
    /// The stored form: lower-case text.
    var databaseText: String { uuidString.lowercased() }
}
