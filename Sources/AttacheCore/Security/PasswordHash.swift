import _CryptoExtras
import Crypto
import Foundation
import NIOCore
import NIOPosix

/// Share passwords, kept as scrypt hashes with their parameters and salt:
/// `scrypt$<log2 N>$<r>$<p>$<salt, base64url>$<key, base64url>`, so that parameters can be raised
/// later while older hashes still verify. N = 2^15, r = 8, p = 1 (32 MiB, tens of milliseconds).
///
/// Hashing runs on threads of its own (half the cores, at least one), queued: never on the
/// cooperative pool, where a few passwords at once would stall every request of the server.
public enum PasswordHash {
    static let logRounds = 15
    static let blockSize = 8
    static let parallelism = 1

    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 2))
        pool.start()
        return pool
    }()

    public static func make(_ password: String) async throws -> String {
        try await threads.runIfActive { try makeBlocking(password) }
    }

    /// Whether `password` is the one `hash` was made from; `false` for a hash this build cannot read.
    public static func verify(_ password: String, against hash: String) async throws -> Bool {
        try await threads.runIfActive { try verifyBlocking(password, against: hash) }
    }

    static func makeBlocking(_ password: String) throws -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let key = try derive(password, salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        return "scrypt$\(logRounds)$\(blockSize)$\(parallelism)$\(Base64URL.encode(salt))$\(Base64URL.encode(key))"
    }

    static func verifyBlocking(_ password: String, against hash: String) throws -> Bool {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "scrypt", let logRounds = Int(parts[1]), (10...20).contains(logRounds),
            let blockSize = Int(parts[2]), (1...32).contains(blockSize), let parallelism = Int(parts[3]), (1...4).contains(parallelism),
            let salt = Base64URL.decode(parts[4]), let expected = Base64URL.decode(parts[5]), expected.count == 32
        else { return false }
        let key = try derive(password, salt: salt, logRounds: logRounds, blockSize: blockSize, parallelism: parallelism)
        // Constant time: every byte is compared.
        return zip(key, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func derive(_ password: String, salt: [UInt8], logRounds: Int, blockSize: Int, parallelism: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << logRounds, blockSize: blockSize, parallelism: parallelism
        )
        return key.withUnsafeBytes { Array($0) }
    }
}
