import AttacheHTTP
import AttacheJSON
import Foundation
import Logging
import Synchronization

/// Writes each log event as one line of JSON to standard error: `time` (UTC, milliseconds), `level`,
/// `message`, `logger`, and every metadata value as a member of its own (Hummingbird's request id as
/// `request_id`), members in key order. Numbers stay numbers; nested metadata stays nested.
///
/// The access log writes a line per request, so a line is written straight into bytes (no `Encoder`,
/// no formatter for the time) and handed to `write(2)` in one call: profiled at `info`, encoding the
/// line through `Encodable` was a quarter of the server's CPU under small requests.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    /// One line is written at a time, so lines from concurrent tasks never interleave.
    private static let output = Mutex(FileDescriptorOutput(descriptor: 2))

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var members = metadata
        if let provided = metadataProvider?.get() { members.merge(provided) { _, new in new } }
        if let explicit = event.metadata { members.merge(explicit) { _, new in new } }
        members = LogKey.canonical(members)
        members["time"] = .string(TimestampFormat.utcFractional(Date()))
        members["level"] = .string(event.level.rawValue)
        members["message"] = .string(event.message.description)
        members["logger"] = .string(label)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(384)
        Self.appendObject(members, to: &bytes)
        bytes.append(0x0A)
        Self.output.withLock { $0.send(bytes) }
    }

    /// `members` as a JSON object, in key order.
    private static func appendObject(_ members: Logger.Metadata, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONText.appendString(member.key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            appendValue(member.value, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// A metadata value as JSON: integers and finite doubles as numbers, the rest as text.
    private static func appendValue(_ value: Logger.Metadata.Value, to bytes: inout [UInt8]) {
        switch value {
        case .string(let text):
            JSONText.appendString(text, to: &bytes)
        case .stringConvertible(let convertible):
            // The types the server logs, cast to before the general (and slower) existential ones.
            if let integer = convertible as? Int {
                bytes.append(contentsOf: String(integer).utf8)
            } else if let double = convertible as? Double, JSONText.appendNumber(double, to: &bytes) {
                break
            } else if let integer = convertible as? any BinaryInteger, let value = Int64(exactly: integer) {
                bytes.append(contentsOf: String(value).utf8)
            } else {
                JSONText.appendString(convertible.description, to: &bytes)
            }
        case .array(let values):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendValue(element, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .dictionary(let values):
            appendObject(values, to: &bytes)
        }
    }
}

/// Standard error as a file descriptor: a line goes out in as few `write(2)` calls as it takes.
struct FileDescriptorOutput: Sendable {
    let descriptor: Int32

    func send(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    // Standard error closed or full: the line is dropped, as a failed log write must not stop a request.
                    return
                }
            }
        }
    }
}
