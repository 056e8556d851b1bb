public import Foundation

/// The bytes of a ZIP archive of stored entries, laid out before any is sent: each entry's local
/// header then its content, the central directory, the end records. Every header is known up front
/// (sizes and CRC-32 go in the local headers, so no data descriptor follows the content, which macOS
/// Archive Utility needs), so the archive has an exact length, the same bytes for the same entries,
/// and any byte range can be produced on its own (``pieces(in:)``, ``headerBytes(_:)``).
///
/// ZIP64 (APPNOTE 6.3.10, 4.3.14–4.5.3) is used only where a field cannot hold its value: an entry of
/// 4 GiB or more (its sizes), a local header past 4 GiB (its offset), 65,535 entries or more, or a
/// central directory past 4 GiB or of that size (the end records).
///
/// Memory: two offsets per entry, and its name; no content.
public struct ZipLayout: Sendable {
    /// A stretch of the archive: a header (generated) or an entry's content (read from storage).
    public enum Piece: Sendable, Hashable {
        case localHeader(Int)
        case content(Int)
        case centralHeader(Int)
        /// The ZIP64 end record and locator when needed, and the end of central directory record.
        case end
    }

    public let entries: [ZipEntry]
    private let names: [[UInt8]]
    /// Each entry's MS-DOS time and date, worked out once (both its headers carry them).
    private let dosTimes: [(time: UInt16, date: UInt16)]
    /// Where each entry's local header starts.
    private let localOffsets: [Int64]
    /// Where each entry's central directory header starts.
    private let centralOffsets: [Int64]
    private let centralDirectoryStart: Int64
    private let endStart: Int64
    /// The whole archive's length.
    public let size: Int64

    static let maximum32: Int64 = 0xFFFF_FFFF
    static let maximum16 = 0xFFFF

    public init(entries: [ZipEntry]) {
        self.entries = entries
        names = entries.map { Array($0.name.utf8) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        dosTimes = entries.map { ZipBytes.dosTime($0.modified, in: calendar) }
        var offset: Int64 = 0
        var local: [Int64] = []
        local.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            local.append(offset)
            offset += Self.localHeaderLength(name: names[index], size: entry.size) + entry.size
        }
        localOffsets = local
        centralDirectoryStart = offset
        var central: [Int64] = []
        central.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            central.append(offset)
            offset += Self.centralHeaderLength(name: names[index], size: entry.size, offset: local[index])
        }
        centralOffsets = central
        endStart = offset
        size = offset + Self.endLength(entries: entries.count, centralSize: offset - centralDirectoryStart, centralStart: centralDirectoryStart)
    }

    /// The pieces that hold `range`, each with the part of it inside the piece (from the piece's start).
    public func pieces(in range: Range<Int64>) -> [(piece: Piece, bytes: Range<Int64>)] {
        var result: [(piece: Piece, bytes: Range<Int64>)] = []
        var position = range.lowerBound
        while position < range.upperBound {
            let (piece, start, length) = piece(at: position)
            let end = min(range.upperBound, start + length)
            result.append((piece, (position - start)..<(end - start)))
            position = end
        }
        return result
    }

    /// The bytes of a header piece (empty for content).
    public func headerBytes(_ piece: Piece) -> [UInt8] {
        switch piece {
        case .localHeader(let index): localHeader(index)
        case .centralHeader(let index): centralHeader(index)
        case .end: endRecords()
        case .content: []
        }
    }

    // MARK: Finding a piece

    /// The piece holding byte `position`, its start and its length.
    private func piece(at position: Int64) -> (Piece, start: Int64, length: Int64) {
        if position >= endStart {
            return (.end, endStart, size - endStart)
        }
        if position >= centralDirectoryStart {
            let index = Self.lastIndex(in: centralOffsets, notAfter: position)
            let next = index + 1 < centralOffsets.count ? centralOffsets[index + 1] : endStart
            return (.centralHeader(index), centralOffsets[index], next - centralOffsets[index])
        }
        let index = Self.lastIndex(in: localOffsets, notAfter: position)
        let contentStart = localOffsets[index] + Self.localHeaderLength(name: names[index], size: entries[index].size)
        if position < contentStart {
            return (.localHeader(index), localOffsets[index], contentStart - localOffsets[index])
        }
        return (.content(index), contentStart, entries[index].size)
    }

    /// The last index whose offset is at most `position` (offsets ascend; empty pieces share offsets).
    private static func lastIndex(in offsets: [Int64], notAfter position: Int64) -> Int {
        var low = 0
        var high = offsets.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if offsets[middle] <= position { low = middle } else { high = middle - 1 }
        }
        return low
    }

    // MARK: Lengths

    private static func localHeaderLength(name: [UInt8], size: Int64) -> Int64 {
        30 + Int64(name.count) + (size >= maximum32 ? 20 : 0)
    }

    private static func centralHeaderLength(name: [UInt8], size: Int64, offset: Int64) -> Int64 {
        let wide = (size >= maximum32 ? 2 : 0) + (offset >= maximum32 ? 1 : 0)
        return 46 + Int64(name.count) + (wide > 0 ? 4 + 8 * Int64(wide) : 0)
    }

    private static func needsZip64End(entries: Int, centralSize: Int64, centralStart: Int64) -> Bool {
        entries >= maximum16 || centralSize >= maximum32 || centralStart >= maximum32
    }

    private static func endLength(entries: Int, centralSize: Int64, centralStart: Int64) -> Int64 {
        22 + (needsZip64End(entries: entries, centralSize: centralSize, centralStart: centralStart) ? 56 + 20 : 0)
    }

    // MARK: Headers

    /// Version 4.5 (ZIP64) where a record has ZIP64 fields, else 2.0.
    private static func version(zip64: Bool) -> UInt16 { zip64 ? 45 : 20 }
    /// Made by: Unix (3), version 4.5, so the external attributes are Unix permissions.
    private static let madeBy: UInt16 = 3 << 8 | 45
    /// Names are UTF-8 (bit 11); no data descriptor (bit 3 clear).
    private static let flags: UInt16 = 0x0800

    private func localHeader(_ index: Int) -> [UInt8] {
        let entry = entries[index]
        let zip64 = entry.size >= Self.maximum32
        var bytes = ZipBytes()
        bytes.u32(0x0403_4B50)
        bytes.u16(Self.version(zip64: zip64))
        bytes.u16(Self.flags)
        bytes.u16(0)  // stored
        bytes.u16(dosTimes[index].time)
        bytes.u16(dosTimes[index].date)
        bytes.u32(entry.crc32)
        bytes.u32(zip64 ? 0xFFFF_FFFF : UInt32(entry.size))  // compressed size
        bytes.u32(zip64 ? 0xFFFF_FFFF : UInt32(entry.size))  // uncompressed size
        bytes.u16(UInt16(names[index].count))
        bytes.u16(zip64 ? 20 : 0)
        bytes.append(names[index])
        if zip64 {
            bytes.u16(0x0001)
            bytes.u16(16)
            bytes.u64(UInt64(entry.size))
            bytes.u64(UInt64(entry.size))
        }
        return bytes.bytes
    }

    private func centralHeader(_ index: Int) -> [UInt8] {
        let entry = entries[index]
        let offset = localOffsets[index]
        let wideSize = entry.size >= Self.maximum32
        let wideOffset = offset >= Self.maximum32
        var extra = ZipBytes()
        if wideSize || wideOffset {
            extra.u16(0x0001)
            extra.u16(UInt16((wideSize ? 16 : 0) + (wideOffset ? 8 : 0)))
            if wideSize {
                extra.u64(UInt64(entry.size))
                extra.u64(UInt64(entry.size))
            }
            if wideOffset { extra.u64(UInt64(offset)) }
        }
        var bytes = ZipBytes()
        bytes.u32(0x0201_4B50)
        bytes.u16(Self.madeBy)
        bytes.u16(Self.version(zip64: wideSize || wideOffset))
        bytes.u16(Self.flags)
        bytes.u16(0)
        bytes.u16(dosTimes[index].time)
        bytes.u16(dosTimes[index].date)
        bytes.u32(entry.crc32)
        bytes.u32(wideSize ? 0xFFFF_FFFF : UInt32(entry.size))
        bytes.u32(wideSize ? 0xFFFF_FFFF : UInt32(entry.size))
        bytes.u16(UInt16(names[index].count))
        bytes.u16(UInt16(extra.bytes.count))
        bytes.u16(0)  // comment
        bytes.u16(0)  // disk
        bytes.u16(0)  // internal attributes
        bytes.u32(0o100644 << 16)  // a regular file, rw-r--r--
        bytes.u32(wideOffset ? 0xFFFF_FFFF : UInt32(offset))
        bytes.append(names[index])
        bytes.append(extra.bytes)
        return bytes.bytes
    }

    private func endRecords() -> [UInt8] {
        let count = entries.count
        let centralSize = endStart - centralDirectoryStart
        var bytes = ZipBytes()
        if Self.needsZip64End(entries: count, centralSize: centralSize, centralStart: centralDirectoryStart) {
            bytes.u32(0x0606_4B50)
            bytes.u64(44)  // the record's size after this field
            bytes.u16(Self.madeBy)
            bytes.u16(45)
            bytes.u32(0)
            bytes.u32(0)
            bytes.u64(UInt64(count))
            bytes.u64(UInt64(count))
            bytes.u64(UInt64(centralSize))
            bytes.u64(UInt64(centralDirectoryStart))
            bytes.u32(0x0706_4B50)
            bytes.u32(0)
            bytes.u64(UInt64(endStart))  // where the ZIP64 end record starts
            bytes.u32(1)
        }
        bytes.u32(0x0605_4B50)
        bytes.u16(0)
        bytes.u16(0)
        bytes.u16(UInt16(min(count, Self.maximum16)))
        bytes.u16(UInt16(min(count, Self.maximum16)))
        bytes.u32(UInt32(min(centralSize, Self.maximum32)))
        bytes.u32(UInt32(min(centralDirectoryStart, Self.maximum32)))
        bytes.u16(0)
        return bytes.bytes
    }
}

/// Little-endian fields, as every ZIP record has them.
struct ZipBytes {
    var bytes: [UInt8] = []

    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func append(_ more: [UInt8]) {
        bytes += more
    }

    /// MS-DOS time and date of `date` in `calendar` (UTC), clamped to the years they can hold (1980–2107).
    static func dosTime(_ date: Date, in calendar: Calendar) -> (time: UInt16, date: UInt16) {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = parts.year ?? 1980
        guard year >= 1980 else { return (0, 1 << 5 | 1) }  // 1980-01-01 00:00
        guard year <= 2107 else { return (23 << 11 | 59 << 5 | 29, 127 << 9 | 12 << 5 | 31) }
        return (
            UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2),
            UInt16((year - 1980) << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
        )
    }
}
