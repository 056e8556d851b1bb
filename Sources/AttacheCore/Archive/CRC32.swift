import CAttacheCRC

/// The CRC-32 of ZIP, gzip and PNG (IEEE 802.3, reflected polynomial 0xEDB88320): a ZIP entry's local
/// header must carry it, so every upload computes it beside the SHA-256 and the archive of a record
/// needs no second pass over the content. Runs of 64 bytes and more are folded with carry-less
/// multiplication where the processor has it (`CAttacheCRC`, 4–6× the tables' rate: `bench/crc.sh`);
/// the rest goes eight bytes at a time through tables (slicing-by-8).
public struct CRC32: Sendable, Hashable {
    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    /// The checksum of everything passed to ``update(_:)`` so far.
    public var value: UInt32 { ~state }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var folded = 0
        if bytes.count >= 64, let base = bytes.baseAddress {
            folded = attache_crc32_fold(&state, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        updateWithTables(bytes, from: folded)
    }

    /// The bytes of `bytes` from `start` on, through the tables. `package` so tests can check the
    /// folding against it.
    package mutating func updateWithTables(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) {
        var crc = state
        var index = start
        let count = bytes.count
        Self.tables.withUnsafeBufferPointer { table in
            while count - index >= 8 {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let low = UInt32(truncatingIfNeeded: word) ^ crc
                let high = UInt32(truncatingIfNeeded: word &>> 32)
                crc = table[7 &* 256 &+ Int(low & 0xFF)] ^ table[6 &* 256 &+ Int((low &>> 8) & 0xFF)]
                    ^ table[5 &* 256 &+ Int((low &>> 16) & 0xFF)] ^ table[4 &* 256 &+ Int(low &>> 24)]
                    ^ table[3 &* 256 &+ Int(high & 0xFF)] ^ table[2 &* 256 &+ Int((high &>> 8) & 0xFF)]
                    ^ table[1 &* 256 &+ Int((high &>> 16) & 0xFF)] ^ table[Int(high &>> 24)]
                index &+= 8
            }
            while index < count {
                crc = table[Int((crc ^ UInt32(bytes[index])) & 0xFF)] ^ (crc &>> 8)
                index &+= 1
            }
        }
        state = crc
    }

    /// Whether this processor folds (has carry-less multiplication); the tables do everything otherwise.
    package static var folds: Bool {
        var crc: UInt32 = 0
        let zeros = [UInt8](repeating: 0, count: 64)
        return zeros.withUnsafeBufferPointer { attache_crc32_fold(&crc, $0.baseAddress, $0.count) } == 64
    }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let array = Array(bytes)
        array.withUnsafeBytes { update($0) }
    }

    /// Table k (of 8) gives the CRC of a byte followed by k zero bytes.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = crc & 1 == 1 ? (crc &>> 1) ^ 0xEDB8_8320 : crc &>> 1
            }
            tables[byte] = crc
        }
        for byte in 0..<256 {
            var crc = tables[byte]
            for slice in 1..<8 {
                crc = tables[Int(crc & 0xFF)] ^ (crc &>> 8)
                tables[slice * 256 + byte] = crc
            }
        }
        return tables
    }()
}
