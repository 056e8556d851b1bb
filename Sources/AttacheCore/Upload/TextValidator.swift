/// Checks, chunk by chunk, that content is text: no NUL and no C0 control bytes other than
/// tab, line feed, form feed, carriage return and escape. Any 8-bit encoding (UTF-8, Windows-1252, …) passes.
public struct TextValidator: Sendable {
    public private(set) var isValid = true

    public init() {}

    public mutating func consume(_ bytes: some Sequence<UInt8>) {
        guard isValid else { return }
        isValid = Self.isText(bytes)
    }

    public static func isText(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { byte in
            byte >= 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D || byte == 0x1B
        }
    }
}
