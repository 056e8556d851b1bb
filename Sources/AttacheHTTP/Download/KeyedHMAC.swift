import AttacheCore
import Crypto

/// HMAC-SHA256 (RFC 2104) with its key already absorbed: the SHA-256 states after the inner and the
/// outer padded key, copied for each message (they are copy-on-write values), so a signature costs
/// the message's hashing only.
///
/// Built on swift-crypto's `SHA256` rather than its `HMAC`, whose messages go through the generic
/// `DataProtocol` path: signing the two links of each of 50 attachments was a fifth of a list's
/// profile, most of it that path rather than hashing. Checked against `HMAC<SHA256>` in the tests.
///
/// `@unchecked Sendable`: swift-crypto's hash states are not marked `Sendable`, but these two are never
/// mutated after `init` — each signature mutates its own copy, which copies the state on write.
struct KeyedHMAC: @unchecked Sendable {
    private static let blockSize = 64
    private let inner: SHA256
    private let outer: SHA256

    init(key: SymmetricKey) {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        key.withUnsafeBytes { bytes in
            if bytes.count > Self.blockSize {
                SHA256.hash(data: bytes).withUnsafeBytes { digest in
                    for index in digest.indices { block[index] = digest[index] }
                }
            } else {
                for index in bytes.indices { block[index] = bytes[index] }
            }
        }
        var inner = SHA256()
        inner.update(data: block.map { $0 ^ 0x36 })
        var outer = SHA256()
        outer.update(data: block.map { $0 ^ 0x5C })
        self.inner = inner
        self.outer = outer
    }

    /// The authentication code of `message`.
    func code(for message: UnsafeRawBufferPointer) -> SHA256Digest {
        var inner = self.inner
        inner.update(bufferPointer: message)
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }

    /// The authentication code of `message`, in URL-safe base64: the signature of links and tickets.
    func signature(of message: String) -> String {
        var message = message
        return message.withUTF8 { code(for: UnsafeRawBufferPointer($0)) }.withUnsafeBytes { Base64URL.encode($0) }
    }

    /// Whether `given` is the signature of `message`, compared in constant time.
    func isSignature(_ given: String, of message: String) -> Bool {
        let expected = Array(signature(of: message).utf8)
        let given = Array(given.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
