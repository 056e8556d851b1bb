import AttacheCore
import Testing

@Suite("Digests, cursors and tokens", .timeLimit(.minutes(3)))
struct ContentDigestTests {
    static let hex = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"  // sha256("hello")

    @Test func parsesContentDigestFields() throws {
        let field = "sha-512=:abc:, sha-256=:LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=:"
        #expect(try ContentDigest.fromContentDigestField(field)?.hex == Self.hex)
        #expect(try ContentDigest.fromContentDigestField("sha-512=:abc:") == nil)
        #expect(throws: AttacheError.self) { try ContentDigest.fromContentDigestField("sha-256=notcolon") }
        #expect(ContentDigest(hexOrBase64: Self.hex.uppercased())?.hex == Self.hex)
        #expect(ContentDigest(hexOrBase64: "xyz") == nil)
    }

    @Test func cursorsRoundTripAndRejectForgeries() throws {
        #expect(PageCursor.decode(PageCursor.encode(123_456)) == 123_456)
        #expect(PageCursor.decode("123") == nil)
        #expect(throws: AttacheError.self) { try PageRequest(limit: nil, cursor: "bogus") }
        #expect(throws: AttacheError.self) { try PageRequest(limit: 1000, cursor: nil) }
        let page = PageCursor.page([1, 2, 3] as [Int64], limit: 2, id: { $0 })
        #expect(page.items == [1, 2])
        #expect(page.nextCursor == PageCursor.encode(2))
    }

    @Test func tokensAreRandomAndHashed() {
        let a = TokenSecret.generate()
        let b = TokenSecret.generate()
        #expect(a != b)
        #expect(a.hasPrefix("att_"))
        #expect(a.count == 47)
        #expect(TokenSecret.hash(a) == TokenSecret.hash(a))
        #expect(TokenSecret.hash(a).count == 64)
    }

    @Test func scopes() {
        #expect(TokenScope.write.permits(.read))
        #expect(!TokenScope.read.permits(.write))
    }
}
