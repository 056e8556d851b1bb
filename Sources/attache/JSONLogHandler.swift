import AttacheHTTP
import Foundation
import Logging
import Synchronization

/// Writes each log event as one line of JSON to standard error: `time` (UTC, milliseconds), `level`,
/// `message`, `logger`, and every metadata value as a member of its own (Hummingbird's request id as
/// `request_id`). Numbers stay numbers; nested metadata stays nested.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// One line is written at a time, so lines from concurrent tasks never interleave.
    private static let output = Mutex<FileHandle>(FileHandle.standardError)

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
        source: String, file: String, function: String, line: UInt
    ) {
        var members: [String: JSONLogValue] = [:]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit { merged.merge(explicit) { _, new in new } }
        for (key, value) in merged {
            members[LogKey.canonical(key)] = JSONLogValue(value)
        }
        members["time"] = .string(TimestampFormat.utcFractional(Date()))
        members["level"] = .string(level.rawValue)
        members["message"] = .string(message.description)
        members["logger"] = .string(label)
        var bytes: [UInt8]
        do {
            bytes = try JSONBodyEncoder().encode(members)
        } catch {
            bytes = Array(#"{"level":"error","message":"a log event could not be written as JSON"}"#.utf8)
        }
        bytes.append(0x0A)
        let data = Data(bytes)
        Self.output.withLock { $0.write(data) }
    }
}

/// A metadata value as JSON: numbers logged as numbers, the rest as text.
enum JSONLogValue: Encodable {
    case string(String)
    case integer(Int64)
    case number(Double)
    case array([JSONLogValue])
    case object([String: JSONLogValue])

    init(_ value: Logger.Metadata.Value) {
        switch value {
        case .string(let text): self = .string(text)
        case .stringConvertible(let convertible):
            if let integer = convertible as? any BinaryInteger, let value = Int64(exactly: integer) {
                self = .integer(value)
            } else if let double = convertible as? Double, double.isFinite {
                self = .number(double)
            } else {
                self = .string(convertible.description)
            }
        case .array(let values): self = .array(values.map(JSONLogValue.init))
        case .dictionary(let values): self = .object(values.mapValues(JSONLogValue.init))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let values): try container.encode(values)
        }
    }
}
