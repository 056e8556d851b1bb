import AttacheCore
import Testing

@Suite("Password hashes", .timeLimit(.minutes(1)))
struct PasswordHashTests {
    @Test func aHashVerifiesItsPasswordOnly() async throws {
        let hash = try await PasswordHash.make("correct horse")
        #expect(hash.hasPrefix("scrypt$15$8$1$"))
        let right = try await PasswordHash.verify("correct horse", against: hash)
        let wrong = try await PasswordHash.verify("correct horsf", against: hash)
        let unreadable = try await PasswordHash.verify("correct horse", against: "scrypt$99$8$1$AAAA$AAAA")
        #expect(right && !wrong)
        #expect(!unreadable, "parameters out of range")
        let again = try await PasswordHash.make("correct horse")
        #expect(again != hash, "a salt of its own")
        #expect(Base64URL.decode(Base64URL.encode([1, 2, 3, 250, 251, 252, 253])) == [1, 2, 3, 250, 251, 252, 253])
    }
}
