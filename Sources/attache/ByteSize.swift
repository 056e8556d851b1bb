import ArgumentParser
import Foundation
import AttacheCore

/// A size given on the command line or in the environment: bytes, or a number with a unit
/// (`200MB`, `1.5GiB`; see ``ByteCountText``).
struct ByteSize: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let bytes: Int64

    init(bytes: Int64) {
        self.bytes = bytes
    }

    init?(argument: String) {
        guard let bytes = ByteCountText.parse(argument) else { return nil }
        self.bytes = bytes
    }

    var description: String { ByteCountText.describe(bytes) }
    /// As it would be written on the command line: `50MiB`.
    var defaultValueDescription: String { ByteCountText.describe(bytes).replacingOccurrences(of: " ", with: "") }

    /// The size in the environment variable `name`, if it holds one.
    static func fromEnvironment(_ name: String) -> ByteSize? {
        Environment.string(name).flatMap(ByteSize.init(argument:))
    }
}
