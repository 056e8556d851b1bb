import Foundation

/// Reads a file's bytes front to back through a 64 KiB buffer, for ``ImageHeader``: the memory it
/// takes is the buffer's, whatever the file's size.
struct ImageHeaderReader {
    /// Thrown when the file ends before a byte the header needs.
    struct EndOfFile: Error {}

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private static let chunk = 64 * 1024

    init(file: URL) throws {
        handle = try FileHandle(forReadingFrom: file)
    }

    func close() {
        try? handle.close()  // allowed: a read-only handle, closed after its reads
    }

    /// The next byte, or `nil` at the file's end.
    mutating func byteIfAny() throws -> UInt8? {
        if position == buffer.count {
            buffer = Array(try handle.read(upToCount: Self.chunk) ?? Data())
            position = 0
            if buffer.isEmpty { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    mutating func byte() throws -> UInt8 {
        guard let byte = try byteIfAny() else { throw EndOfFile() }
        return byte
    }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for _ in 0..<count { bytes.append(try byte()) }
        return bytes
    }

    /// Passes over `count` bytes: within the buffer, or by seeking past it.
    mutating func skip(_ count: Int) throws {
        let buffered = buffer.count - position
        if count <= buffered {
            position += count
            return
        }
        let offset = try handle.offset() + UInt64(count - buffered)
        guard offset <= (try handle.seekToEnd()) else { throw EndOfFile() }
        try handle.seek(toOffset: offset)
        (buffer, position) = ([], 0)
    }

    mutating func bigEndian(_ count: Int) throws -> Int {
        try bytes(count).reduce(0) { $0 << 8 | Int($1) }
    }

    mutating func littleEndian(_ count: Int) throws -> Int {
        try bytes(count).reversed().reduce(0) { $0 << 8 | Int($1) }
    }
}
