import AttacheTestSupport
import AttacheCore
import AttacheJSON
@testable import AttacheHTTP
@testable import AttacheNative
import Foundation
import Hummingbird
import NIOCore
import Testing

/// Our JSON writer must write what Foundation's `JSONEncoder` (sorted keys, unescaped slashes, ISO 8601
/// dates) writes, byte for byte, for everything the faces encode and for random nested values.
@Suite("JSON writer", .timeLimit(.minutes(3)))
struct JSONBodyEncoderTests {
    static func foundation(_ value: some Encodable, keys: JSONEncoder.KeyEncodingStrategy = .useDefaultKeys) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = keys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func ours(_ value: some Encodable, keys: JSONBodyEncoder.KeyStyle = .asDeclared) throws -> String {
        String(decoding: try JSONBodyEncoder(keys: keys).encode(value), as: UTF8.self)
    }

    struct Inner: Encodable {
        var zeta: Int
        var alpha: String?
        var list: [Int8]
    }

    struct Outer: Encodable {
        var text: String
        var number: Int64
        var small: UInt16
        var flag: Bool
        var ratio: Double
        var when: Date
        var data: Data
        var link: URL
        var inner: Inner
        var inners: [Inner]
        var map: [String: Int]
        var maybe: Int?
        @ExplicitNull var nothing: String?
        var kind: FileKind
        var nested: [[String]]
    }

    /// Writes through nested containers and a second request for the same container.
    struct Handwritten: Encodable {
        enum Keys: String, CodingKey { case b, a, c, d }
        func encode(to encoder: any Encoder) throws {
            var outer = encoder.container(keyedBy: Keys.self)
            var list = outer.nestedUnkeyedContainer(forKey: .b)
            try list.encode(1)
            var object = list.nestedContainer(keyedBy: Keys.self)
            try object.encode("x", forKey: .d)
            try object.encode("y", forKey: .c)
            try list.encode(2)
            var again = encoder.container(keyedBy: Keys.self)
            try again.encode(true, forKey: .a)
            var deep = again.nestedContainer(keyedBy: Keys.self, forKey: .c)
            try deep.encodeNil(forKey: .a)
        }
    }

    @Test func matchesFoundationOnEveryShape() throws {
        let inner = Inner(zeta: -7, alpha: "a/b \"q\" \\ \n\t\r\u{08}\u{0C}\u{01}\u{1F} é 😀", list: [.min, 0, .max])
        let value = Outer(
            text: "héllo / wörld", number: .min, small: .max, flag: false, ratio: 1.5,
            when: Date(timeIntervalSince1970: 1_764_547_090.999), data: Data([0, 1, 2, 250, 255]),
            link: URL(string: "https://example.com/a?b=c")!, inner: inner, inners: [inner, Inner(zeta: 0, alpha: nil, list: [])],
            map: ["b": 2, "a": 1, "ab": 3, "B": 4, "": 5], maybe: nil, nothing: nil, kind: .image, nested: [[], ["x"], ["y", "z"]]
        )
        #expect(try Self.ours(value) == Self.foundation(value))
        #expect(try Self.ours(Handwritten()) == Self.foundation(Handwritten()))
        #expect(try Self.ours([1.0, 0.1, -2.5, 1e300, 123456789.0]) == Self.foundation([1.0, 0.1, -2.5, 1e300, 123456789.0]))
        #expect(try Self.ours("top") == Self.foundation("top"))
        #expect(try Self.ours(Int64.max) == Self.foundation(Int64.max))
        #expect(try Self.ours([String?]([nil, "a"])) == Self.foundation([String?]([nil, "a"])))
        #expect(throws: EncodingError.self) { try Self.ours([Double.nan]) }
    }

    @Test func datesMatchFoundationAcrossCenturies() throws {
        var generator = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [0, -1, -86_400, -86_401, 951_782_400, 4_107_542_399, -2_208_988_800, 253_402_300_799, 1.5, -0.5]
        let random = (0..<500).map { _ in TimeInterval(Int64.random(in: -5_000_000_000...200_000_000_000, using: &generator)) / 16 }
        for seconds in fixed + random {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(try Self.ours(date) == Self.foundation(date), "\(seconds)")
        }
    }

    @Test func renamedKeysMatchFoundationsCustomStrategy() throws {
        let rename: @Sendable ([any CodingKey]) -> any CodingKey = { path in
            let depth = path.count
            return AnyKey(stringValue: "\(depth)" + (path.last?.stringValue.uppercased() ?? ""))
        }
        let value = Outer(
            text: "t", number: 1, small: 2, flag: true, ratio: 0, when: Date(timeIntervalSince1970: 0), data: Data(),
            link: URL(string: "a:b")!, inner: Inner(zeta: 1, alpha: "x", list: [1]), inners: [Inner(zeta: 2, alpha: nil, list: [])],
            map: ["k": 1], maybe: 3, nothing: "n", kind: .document, nested: [["q"]]
        )
        let ours = try Self.ours(value, keys: .renamed(rename))
        let theirs = try Self.foundation(value, keys: .custom(rename))
        #expect(ours == theirs)
    }

    /// Random nested values, compared byte for byte.
    @Test func randomValuesMatchFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let value = RandomJSON.make(depth: 0, using: &generator)
            let ours = try Self.ours(value)
            let theirs = try Self.foundation(value)
            #expect(ours == theirs)
        }
    }

    /// The hand-written native attachment writes exactly what its `Encodable` conformance writes.
    @Test func nativeAttachmentWritesWhatItEncodes() throws {
        let now = Date(timeIntervalSince1970: 1_764_547_090)
        let attached = AttachedFile(
            attachment: Attachment(id: 1, uuid: UUID(), tenantID: 1, recordID: 2, fileID: 3, description: "d \"q\"", createdAt: now, updatedAt: now),
            file: StoredFile(id: 3, uuid: UUID(), tenantID: 1, name: "ä/b.pdf", size: 42, mimeType: "application/pdf", kind: .document,
                             sha256: String(repeating: "a", count: 64), createdAt: now, updatedAt: now.addingTimeInterval(5)),
            record: Record(id: 2, uuid: UUID(), tenantID: 1, type: .contact, reference: "r", externalIdentifier: nil, title: nil,
                           createdAt: now, updatedAt: now)
        )
        let request = Request(head: .init(method: .get, scheme: "http", authority: "example.com", path: "/"), body: .init(buffer: ByteBuffer()))
        let links = LinkBuilder(publicURL: nil, signer: URLSigner(secret: Array("secret".utf8)))
        let tenant = Tenant(id: 1, slug: "t", name: "T", createdAt: now)
        for (description, deletesAt) in [("d \"q\"", now.addingTimeInterval(86_400 * 30)), (nil, nil)] {
            var item = NativeAttachment(attached, deletesAt: deletesAt, links: links, tenant: tenant, request: request)
            item.description = description
            #expect(try Self.ours(item) == Self.foundation(item))
            #expect(try Self.ours(NativeList(items: [item, item], nextCursor: nil)) == Self.foundation(NativeList(items: [item, item], nextCursor: nil)))
        }
    }
}

struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// A random JSON-shaped value that encodes through every container kind.
indirect enum RandomJSON: Encodable {
    case string(String), int(Int), bool(Bool), null, array([RandomJSON]), object([String: RandomJSON])

    static func make(depth: Int, using generator: inout SystemRandomNumberGenerator) -> RandomJSON {
        let pick = Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator)
        switch pick {
        case 0: return .string(randomText(using: &generator))
        case 1: return .int(Int.random(in: Int.min...Int.max, using: &generator))
        case 2: return .bool(Bool.random(using: &generator))
        case 3: return .null
        case 4: return .array((0..<Int.random(in: 0..<5, using: &generator)).map { _ in make(depth: depth + 1, using: &generator) })
        default:
            var members: [String: RandomJSON] = [:]
            for _ in 0..<Int.random(in: 0..<6, using: &generator) {
                members[randomText(using: &generator)] = make(depth: depth + 1, using: &generator)
            }
            return .object(members)
        }
    }

    static func randomText(using generator: inout SystemRandomNumberGenerator) -> String {
        let pool: [Character] = ["a", "b", "Z", "0", "/", "\"", "\\", "\n", "\u{01}", "é", "😀", " ", "_", "-"]
        return String((0..<Int.random(in: 0..<8, using: &generator)).map { _ in pool.randomElement(using: &generator) ?? "a" })
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .int(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let members):
            var container = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in members { try container.encode(value, forKey: AnyKey(stringValue: key)) }
        }
    }
}
