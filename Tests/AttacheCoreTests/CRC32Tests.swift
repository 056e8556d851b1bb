import AttacheCore
import Foundation
import Testing

@Suite("CRC-32", .timeLimit(.minutes(1)))
struct CRC32Tests {
    /// The bit-at-a-time definition the sliced version must agree with.
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test func knownValues() {
        #expect(CRC32().value == 0)
        var check = CRC32()
        check.update(Array("123456789".utf8))
        #expect(check.value == 0xCBF4_3926, "the standard check value")
        var fox = CRC32()
        fox.update(Array("The quick brown fox jumps over the lazy dog".utf8))
        #expect(fox.value == 0x414F_A339)
    }

    /// Every length and alignment through the eight-byte path and its tail, in pieces of any size.
    @Test func agreesWithTheDefinitionInAnyPieces() {
        var generator = SystemRandomNumberGenerator()
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var whole = CRC32()
            whole.update(bytes)
            #expect(whole.value == Self.reference(bytes), "length \(length)")
            var pieces = CRC32()
            var start = 0
            while start < length {
                let end = min(length, start + Int.random(in: 1...13, using: &generator))
                pieces.update(bytes[start..<end])
                start = end
            }
            #expect(pieces.value == whole.value, "length \(length) in pieces")
        }
    }

    /// The folded path (carry-less multiplication) against the tables, for every length from 64 to 600
    /// at every offset from a 16-byte boundary, a megabyte, and a stream of uneven pieces that carry the
    /// register from one to the next. On a processor with PCLMULQDQ the folding must be in use.
    @Test func foldingAgreesWithTheTables() throws {
        if (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.contains(" pclmulqdq") == true {  // allowed: no cpuinfo, no claim
            #expect(CRC32.folds, "this processor has PCLMULQDQ: the folding must be used")
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(1 << 20) + 77).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes.withUnsafeBytes { all in
            for offset in 0..<16 {
                for length in 64...600 {
                    let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    var folded = CRC32()
                    folded.update(slice)
                    var tabled = CRC32()
                    tabled.updateWithTables(slice)
                    if folded.value != tabled.value {
                        Issue.record("offset \(offset), length \(length): \(folded.value) against \(tabled.value)")
                        return
                    }
                }
            }
            var folded = CRC32()
            folded.update(all)
            var tabled = CRC32()
            tabled.updateWithTables(all)
            #expect(folded.value == tabled.value, "a megabyte")
            var pieces = CRC32()
            var start = 0
            while start < all.count {
                let end = min(all.count, start + Int.random(in: 1...70_000, using: &generator))
                pieces.update(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
            #expect(pieces.value == tabled.value, "in pieces")
        }
        #expect(Self.reference(Array(bytes.prefix(4096))) == { var crc = CRC32(); crc.update(Array(bytes.prefix(4096))); return crc.value }())
    }
}
