import AttacheCore
import Testing

@Suite("Password hashes", .timeLimit(.minutes(1)))
struct PasswordHashTests {
    @Test func aHashVerifiesItsPasswordOnly() throws {
        let hash = try PasswordHash.make("correct horse")
        #expect(hash.hasPrefix("scrypt$15$8$1$"))
        #expect(try PasswordHash.verify("correct horse", against: hash))
        #expect(try !PasswordHash.verify("correct horsf", against: hash))
        #expect(try !PasswordHash.verify("correct horse", against: "scrypt$99$8$1$AAAA$AAAA"), "parameters out of range")
        #expect(try PasswordHash.make("correct horse") != hash, "a salt of its own")
        #expect(Base64URL.decode(Base64URL.encode([1, 2, 3, 250, 251, 252, 253])) == [1, 2, 3, 250, 251, 252, 253])
    }
}
