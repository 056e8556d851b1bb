import AttacheCore
import AttacheTestSupport
import Foundation
import Testing

/// Archives laid out by ``ZipLayout``, written to a file and read back by other ZIP readers
/// (``ZipReaders``).
@Suite("ZIP layout", .timeLimit(.minutes(3)))
struct ZipLayoutTests {
    static let modified = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC

    /// Each entry's content: `content(index, range)`, or zeros (left as a hole of a sparse file) for `nil`.
    static func write(_ layout: ZipLayout, to url: URL, content: (Int, Range<Int64>) -> [UInt8]?) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var position: Int64 = 0
        for (piece, bytes) in layout.pieces(in: 0..<layout.size) {
            if case .content(let index) = piece {
                if let data = content(index, bytes) {
                    try handle.write(contentsOf: data)
                } else {
                    try handle.seek(toOffset: UInt64(position + Int64(bytes.count)))
                }
            } else {
                try handle.write(contentsOf: Array(layout.headerBytes(piece)[Int(bytes.lowerBound)..<Int(bytes.upperBound)]))
            }
            position += Int64(bytes.count)
        }
        try handle.truncate(atOffset: UInt64(layout.size))
    }

    static func content(of name: String, size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ name.utf8.count) }
    }

    static func entries(_ files: [(String, Int)]) -> ([ZipEntry], [[UInt8]]) {
        let names = ZipEntryNames.make(files.map(\.0))
        let contents = zip(names, files).map { content(of: $0, size: $1.1) }
        let entries = zip(names, contents).map { name, bytes in
            var crc = CRC32()
            crc.update(bytes)
            return ZipEntry(name: name, size: Int64(bytes.count), crc32: crc.value, modified: modified)
        }
        return (entries, contents)
    }

    func temporaryFile() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("attache-zip-\(UUID().uuidString).zip")
    }

    @Test func namesAreSafeAndUniqueWhateverTheCase() {
        #expect(ZipEntryNames.make(["lease.pdf", "Lease.PDF", "lease.pdf", "lease (2).pdf"]) == ["lease.pdf", "Lease (2).PDF", "lease (3).pdf", "lease (2) (2).pdf"])
        #expect(ZipEntryNames.make(["../../etc/passwd", "/abs/x.txt", "a\\b.txt", "..", ".", "", "tab\there", "  spaced  "])
            == [".._.._etc_passwd", "_abs_x.txt", "a_b.txt", "file", "file (2)", "file (3)", "tab_here", "spaced"])
        let long = String(repeating: "é", count: 300) + ".pdf"
        let made = ZipEntryNames.make([long, long])
        #expect(made.allSatisfy { $0.utf8.count <= ZipEntryNames.maximumLength })
        #expect(made[1].hasSuffix(" (2).pdf") && made[0] != made[1])
    }

    @Test func anArchiveIsReadByEveryReaderAndAnyRangeIsItsBytes() async throws {
        let (entries, contents) = Self.entries([("lease.pdf", 5000), ("Grundriß – 2. OG.png", 70_000), ("empty.txt", 0), ("lease.pdf", 3), ("notes.txt", 1)])
        let layout = ZipLayout(entries: entries)
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.write(layout, to: url) { index, range in Array(contents[index][Int(range.lowerBound)..<Int(range.upperBound)]) }
        let archive = try Data(contentsOf: url)
        #expect(Int64(archive.count) == layout.size)
        try await ZipReaders.check(url, names: entries.map(\.name), sizes: entries.map(\.size))
        #expect(entries.map(\.name) == ["lease.pdf", "Grundriß – 2. OG.png", "empty.txt", "lease (2).pdf", "notes.txt"])
        #expect(archive.prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]))
        // No ZIP64 records in a small archive (macOS' reader and old tools need none).
        #expect(archive.range(of: Data([0x50, 0x4B, 0x06, 0x06])) == nil)
        // Any range, assembled from its pieces, is exactly those bytes of the whole.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let start = Int64.random(in: 0..<layout.size, using: &generator)
            let end = Int64.random(in: (start + 1)...layout.size, using: &generator)
            var bytes: [UInt8] = []
            for (piece, part) in layout.pieces(in: start..<end) {
                if case .content(let index) = piece {
                    bytes += contents[index][Int(part.lowerBound)..<Int(part.upperBound)]
                } else {
                    bytes += layout.headerBytes(piece)[Int(part.lowerBound)..<Int(part.upperBound)]
                }
            }
            #expect(Data(bytes) == archive[Int(start)..<Int(end)], "range \(start)..<\(end)")
        }
        // The same entries give the same bytes.
        let again = temporaryFile()
        defer { try? FileManager.default.removeItem(at: again) }
        try Self.write(ZipLayout(entries: entries), to: again) { index, range in Array(contents[index][Int(range.lowerBound)..<Int(range.upperBound)]) }
        #expect(try Data(contentsOf: again) == archive)
    }

    @Test func anEmptyArchiveIsTheEndRecordAlone() async throws {
        let layout = ZipLayout(entries: [])
        #expect(layout.size == 22)
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.write(layout, to: url) { _, _ in [] }
        try await ZipReaders.check(url, names: [], sizes: [])
    }

    /// 70,000 entries: more than the 65,535 the end record can count, so the ZIP64 end records say it.
    @Test func seventyThousandEntriesGetTheZip64EndRecords() async throws {
        let files = (0..<70_000).map { (String(format: "scan-%05d.txt", $0), 1 + $0 % 3) }
        let (entries, contents) = Self.entries(files)
        let layout = ZipLayout(entries: entries)
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.write(layout, to: url) { index, range in Array(contents[index][Int(range.lowerBound)..<Int(range.upperBound)]) }
        let archive = try Data(contentsOf: url)
        #expect(archive.range(of: Data([0x50, 0x4B, 0x06, 0x06])) != nil, "a ZIP64 end record")
        try await ZipReaders.check(url, names: entries.map(\.name), sizes: entries.map(\.size))
    }

    /// An entry of 4 GiB + 1 byte (ZIP64 sizes) and one after it whose header lies past 4 GiB (a ZIP64
    /// offset); the zeros stay a hole in a sparse file, so the test writes a few bytes, not 4 GiB.
    @Test func entriesAndOffsetsPastFourGiBGetZip64Fields() async throws {
        let big: Int64 = 4 * 1024 * 1024 * 1024 + 1
        var crc = CRC32()
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        var left = big
        zeros.withUnsafeBytes { block in
            while left > 0 {
                let count = Int(min(left, Int64(block.count)))
                crc.update(UnsafeRawBufferPointer(rebasing: block[0..<count]))
                left -= Int64(count)
            }
        }
        let small = Self.content(of: "after.txt", size: 100)
        var smallCRC = CRC32()
        smallCRC.update(small)
        let entries = [
            ZipEntry(name: "before.txt", size: 0, crc32: 0, modified: Self.modified),
            ZipEntry(name: "huge.bin", size: big, crc32: crc.value, modified: Self.modified),
            ZipEntry(name: "after.txt", size: 100, crc32: smallCRC.value, modified: Self.modified),
        ]
        let layout = ZipLayout(entries: entries)
        let url = temporaryFile()
        defer { try? FileManager.default.removeItem(at: url) }
        try Self.write(layout, to: url) { index, range in index == 2 ? Array(small[Int(range.lowerBound)..<Int(range.upperBound)]) : nil }
        try await ZipReaders.check(url, names: entries.map(\.name), sizes: entries.map(\.size))
    }
}
