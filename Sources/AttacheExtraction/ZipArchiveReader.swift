import AttacheCore
import Foundation

/// Reads entries of a ZIP file (an office document) under ``ZipLimits``: the central directory is
/// read once, an entry's bytes are streamed from its local header through ``RawInflater`` a chunk at
/// a time. Stored and deflated entries are read; encrypted ones, other methods and ZIP64 are refused.
struct ZipArchiveReader {
    struct Entry: Sendable, Hashable {
        var name: String
        var method: UInt16
        var flags: UInt16
        var compressedSize: Int64
        var uncompressedSize: Int64
        var localHeaderOffset: Int64
    }

    private let handle: FileHandle
    private let fileSize: Int64
    let limits: ZipLimits
    private(set) var entries: [Entry] = []
    /// Inflated bytes handed out so far, over every entry.
    private var totalRead: Int64 = 0

    init(file: URL, limits: ZipLimits) throws {
        handle = try FileHandle(forReadingFrom: file)
        fileSize = Int64(try handle.seekToEnd())
        self.limits = limits
        do {
            entries = try readDirectory()
        } catch {
            try? handle.close()  // allowed: the directory's own error is what is thrown
            throw error
        }
    }

    func close() {
        try? handle.close()  // allowed: a read-only handle, closed after its reads
    }

    private static func notAZip(_ why: String) -> DerivationFailure { .permanent("the document is not a ZIP it can read: \(why)") }

    private func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, offset + Int64(count) <= fileSize else { throw Self.notAZip("a record lies past the file's end") }
        try handle.seek(toOffset: UInt64(offset))
        let bytes = Array(try handle.read(upToCount: count) ?? Data())
        guard bytes.count == count else { throw Self.notAZip("a record is cut short") }
        return bytes
    }

    private static func uint16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    private static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }

    /// The end-of-central-directory record (in the last 64 KiB + 22 bytes), then the directory.
    private func readDirectory() throws -> [Entry] {
        let tailLength = Int(min(fileSize, 65_557))
        let tail = try read(at: fileSize - Int64(tailLength), count: tailLength)
        guard tailLength >= 22, let end = stride(from: tailLength - 22, through: 0, by: -1).first(where: { Self.uint32(tail, $0) == 0x0605_4B50 }) else {
            throw Self.notAZip("no end of central directory")
        }
        let count = Int(Self.uint16(tail, end + 10))
        let size = Int(Self.uint32(tail, end + 12))
        let offset = Int64(Self.uint32(tail, end + 16))
        guard count != 0xFFFF, size != 0xFFFF_FFFF, offset != 0xFFFF_FFFF else { throw Self.notAZip("ZIP64 is not read") }
        guard count <= limits.maximumEntries, size <= limits.maximumDirectoryBytes else {
            throw DerivationFailure.permanent("the document has \(count) entries in \(size) bytes of directory, more than is read")
        }
        let directory = try read(at: offset, count: size)
        var entries: [Entry] = []
        var at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, Self.uint32(directory, at) == 0x0201_4B50 else { throw Self.notAZip("a damaged central directory") }
            let nameLength = Int(Self.uint16(directory, at + 28)), extraLength = Int(Self.uint16(directory, at + 30))
            let commentLength = Int(Self.uint16(directory, at + 32))
            guard at + 46 + nameLength <= directory.count else { throw Self.notAZip("a damaged central directory") }
            entries.append(Entry(
                name: String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self),
                method: Self.uint16(directory, at + 10), flags: Self.uint16(directory, at + 8),
                compressedSize: Int64(Self.uint32(directory, at + 20)), uncompressedSize: Int64(Self.uint32(directory, at + 24)),
                localHeaderOffset: Int64(Self.uint32(directory, at + 42))
            ))
            at += 46 + nameLength + extraLength + commentLength
        }
        return entries
    }

    /// Streams the inflated bytes of `entry` to `consume` (which answers whether to go on), holding
    /// the limits to the declared sizes and to the bytes as they are inflated.
    /// - Throws: ``DerivationFailure`` (permanent) for a bomb, an encrypted or unknown entry, damage.
    mutating func read(_ entry: Entry, into consume: (UnsafeRawBufferPointer) throws -> Bool) throws {
        guard entry.flags & 0x1 == 0 else { throw DerivationFailure.permanent("\(entry.name) is encrypted") }
        guard entry.method == 0 || entry.method == 8 else { throw DerivationFailure.permanent("\(entry.name) is compressed with method \(entry.method)") }
        guard entry.uncompressedSize <= limits.maximumEntryBytes, totalRead + entry.uncompressedSize <= limits.maximumTotalBytes else {
            throw bomb("\(entry.name) says it inflates to \(entry.uncompressedSize) bytes")
        }
        let header = try read(at: entry.localHeaderOffset, count: 30)
        guard Self.uint32(header, 0) == 0x0403_4B50 else { throw Self.notAZip("a damaged local header") }
        let dataStart = entry.localHeaderOffset + 30 + Int64(Self.uint16(header, 26)) + Int64(Self.uint16(header, 28))
        guard dataStart + entry.compressedSize <= fileSize else { throw Self.notAZip("\(entry.name) lies past the file's end") }
        try handle.seek(toOffset: UInt64(dataStart))
        let inflater = entry.method == 8 ? try RawInflater() : nil
        var remaining = entry.compressedSize
        var consumed: Int64 = 0
        var produced: Int64 = 0
        let entryLimit = min(entry.uncompressedSize, limits.maximumEntryBytes)
        let (ratioLimit, totalLimit, name) = (limits.maximumRatio, limits.maximumTotalBytes - totalRead, entry.name)
        // Every inflated piece is counted before it is handed on: past the declared size, the total,
        // or the ratio to the compressed bytes zlib has read for it (once past 1 MiB, where small
        // entries of spaces may legitimately go), it stops.
        func count(_ piece: UnsafeRawBufferPointer) throws -> Bool {
            produced += Int64(piece.count)
            guard produced <= entryLimit, produced <= totalLimit else { throw Self.bombFailure("\(name) inflates past its \(entryLimit) bytes") }
            let source = inflater?.bytesRead ?? consumed
            guard produced < 1 << 20 || produced <= source * ratioLimit else {
                throw Self.bombFailure("\(name) inflates more than \(ratioLimit) times: \(produced) bytes from \(source)")
            }
            return try consume(piece)
        }
        defer { totalRead += produced }
        while remaining > 0 {
            let chunk = try handle.read(upToCount: Int(min(remaining, 64 * 1024))) ?? Data()
            guard !chunk.isEmpty else { throw Self.notAZip("\(entry.name) is cut short") }
            remaining -= Int64(chunk.count)
            consumed += Int64(chunk.count)
            let goOn = try chunk.withUnsafeBytes { bytes in
                if let inflater { return try inflater.inflate(bytes, into: count) }
                return try count(bytes)
            }
            if !goOn || inflater?.isFinished == true { return }
        }
    }

    private func bomb(_ why: String) -> DerivationFailure { Self.bombFailure(why) }

    private static func bombFailure(_ why: String) -> DerivationFailure {
        .permanent("the document looks like a zip bomb: \(why)")
    }
}
