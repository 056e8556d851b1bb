import Crypto
import NIOCore

extension BlobReader {
    /// Streams the opened range and returns its SHA-256 (hex) and length. Call it instead of `stream`.
    public func digest() async throws -> (sha256: String, bytes: Int64) {
        var hasher = SHA256()
        var read: Int64 = 0
        try await stream { chunk in
            read += Int64(chunk.readableBytes)
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        return (hasher.finalize().hexString, read)
    }
}
