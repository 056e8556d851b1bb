import AttacheTestSupport
import AttacheCore
import Foundation
import NIOCore
import Testing

@testable import AttacheHTTP

/// Every parser of request input, fed extreme and random values (a seeded generator, so a failure
/// repeats): none may trap, and each keeps its promise whatever it is given.
@Suite("Parser properties", .timeLimit(.minutes(3)))
struct ParserPropertyTests {
    /// A small deterministic generator (SplitMix64), so runs repeat.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let numbers = [
        "0", "1", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999", "", " ", "+1", "0x10", "1e3", "NaN", "٣", "00000000000000000000007", "1.5",
    ]

    static func randomText(_ generator: inout Seeded, length: Int) -> String {
        let alphabet = Array("0123456789-=,; bytes\"\\/*abcz\u{0}\u{7F}é€\u{202E}\r\n")
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator) ?? "0" })
    }

    @Test func rangesStayInsideTheContent() {
        var generator = Seeded(state: 1)
        let lengths: [Int64] = [0, 1, 2, 100, Int64(Int32.max), Int64.max - 1, Int64.max]
        var headers = Self.numbers.flatMap { a in Self.numbers.map { b in "bytes=\(a)-\(b)" } + ["bytes=-\(a)", "bytes=\(a)-"] }
        headers += (0..<2000).map { _ in "bytes=" + Self.randomText(&generator, length: Int.random(in: 0...24, using: &generator)) }
        for header in headers {
            for length in lengths {
                switch ByteRange(header: header, length: length) {
                case .partial(let range):
                    #expect(range.lowerBound >= 0 && range.upperBound <= length && !range.isEmpty, "\(header) of \(length)")
                case .whole, .unsatisfiable:
                    break
                }
            }
        }
    }

    @Test func cursorsRoundTripAndNeverTrap() throws {
        var generator = Seeded(state: 2)
        for id in [Int64.min, -1, 0, 1, 42, Int64.max] + (0..<500).map({ _ in Int64.random(in: .min ... .max, using: &generator) }) {
            #expect(PageCursor.decode(PageCursor.encode(id)) == id)
        }
        for text in Self.numbers.map({ "c" + $0 }) + (0..<2000).map({ _ in "c" + Self.randomText(&generator, length: Int.random(in: 0...30, using: &generator)) }) {
            _ = PageCursor.decode(text)
            if let request = try? PageRequest(limit: nil, cursor: text) {
                #expect((1...PageRequest.maximumLimit).contains(request.limit))
            }
        }
        for limit in [Int.min, -1, 0, 1, 200, 201, Int.max] {
            _ = try? PageRequest(limit: limit, cursor: nil)
        }
    }

    @Test func headerParametersAndDigestsNeverTrap() {
        var generator = Seeded(state: 3)
        for _ in 0..<3000 {
            let text = Self.randomText(&generator, length: Int.random(in: 0...80, using: &generator))
            let parsed = HeaderParameters(text)
            _ = parsed["filename"]
            _ = ContentDigest(hexOrBase64: text)
            _ = try? ContentDigest.fromContentDigestField(text)
            let name = FileNameSanitizer.sanitize(text)
            #expect(!name.isEmpty && !name.contains("/") && !name.contains("\\") && !name.unicodeScalars.contains("\u{202E}"))
        }
    }

    /// Whatever bytes arrive, split wherever, the multipart reader hands out no more body bytes than
    /// it was given and refuses what it cannot read instead of trapping.
    @Test func multipartReaderNeverInventsBytes() {
        var generator = Seeded(state: 4)
        let pieces = ["--b", "\r\n", "--b--", "Content-Disposition: form-data; name=\"file\"; filename=\"a\"", "\r\n\r\n", "x", "--", "b", "\r"]
        for _ in 0..<1500 {
            var body = ByteBuffer()
            for _ in 0..<Int.random(in: 0...30, using: &generator) {
                if Bool.random(using: &generator) {
                    body.writeString(pieces.randomElement(using: &generator) ?? "")
                } else {
                    body.writeBytes((0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
                }
            }
            guard var reader = try? MultipartStreamReader(boundary: "b") else { continue }
            var given = 0
            var handed = 0
            var rest = body
            do {
                while rest.readableBytes > 0 {
                    let chunk = rest.readSlice(length: min(rest.readableBytes, Int.random(in: 1...16, using: &generator)))!
                    given += chunk.readableBytes
                    for event in try reader.feed(chunk) {
                        if case .body(let bytes) = event { handed += bytes.readableBytes }
                    }
                }
                try reader.finish()
            } catch {}
            #expect(handed <= given)
        }
    }

    /// Whatever a file holds — pieces of its own boundary included — and however the body is cut into
    /// chunks, the reader hands back exactly the file's bytes.
    @Test func multipartReaderGivesBackEveryByteOfTheFile() throws {
        var generator = Seeded(state: 11)
        let pieces: [[UInt8]] = [Array("\r".utf8), Array("\r\n".utf8), Array("\r\n-".utf8), Array("\r\n--".utf8), Array("\r\n--bo".utf8), Array("\r\n--boun".utf8)]
        for _ in 0..<800 {
            var content: [UInt8] = []
            for _ in 0..<Int.random(in: 0...20, using: &generator) {
                if Bool.random(using: &generator) {
                    content += pieces.randomElement(using: &generator) ?? []
                } else {
                    content += (0..<Int.random(in: 0...60, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                }
            }
            let delimiter = Array("\r\n--bound".utf8)
            // A client picks a boundary its content does not hold.
            if content.count >= delimiter.count,
               (0...(content.count - delimiter.count)).contains(where: { content[$0..<$0 + delimiter.count].elementsEqual(delimiter) }) {
                continue
            }
            var body = ByteBuffer(string: "--bound\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n")
            body.writeBytes(content)
            body.writeString("\r\n--bound--\r\n")
            var reader = try MultipartStreamReader(boundary: "bound")
            var received: [UInt8] = []
            while body.readableBytes > 0 {
                let length = min(body.readableBytes, Int.random(in: 1...48, using: &generator))
                guard let chunk = body.readSlice(length: length) else { break }
                for event in try reader.feed(chunk) {
                    if case .body(let bytes) = event { received += bytes.readableBytesView }
                }
            }
            try reader.finish()
            #expect(received == content)
        }
    }

    /// The base64 JSON reader decodes at most three bytes for every four it reads, and refuses
    /// anything malformed without trapping.
    @Test func jsonBase64ReaderNeverTraps() {
        var generator = Seeded(state: 5)
        let pieces = ["{", "}", "\"File\"", "\"file\"", ":", ",", "\"", "null", "QUJD", "=", "\\/", " ", "\\", "n"]
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...20, using: &generator) {
                text += pieces.randomElement(using: &generator) ?? ""
            }
            var reader = JSONBase64FileReader(member: "File", caseInsensitive: Bool.random(using: &generator))
            var decoded = 0
            do {
                decoded += try reader.feed(ByteBuffer(string: text)).readableBytes
                decoded += try reader.finish().readableBytes
            } catch {}
            #expect(decoded <= text.utf8.count)
        }
    }
}
