import Crypto

/// The checksum a client sent for one chunk (`Upload-Checksum: sha1 <base64>`), and its check.
public struct ChunkChecksum: Sendable, Hashable {
    public enum Algorithm: String, Sendable, Hashable, CaseIterable {
        case sha1
        case sha256
    }

    public var algorithm: Algorithm
    public var digest: [UInt8]

    public init(algorithm: Algorithm, digest: [UInt8]) {
        self.algorithm = algorithm
        self.digest = digest
    }

    /// An incremental hash of a chunk's bytes, in the checksum's algorithm.
    struct Hasher {
        private var sha1 = Insecure.SHA1()
        private var sha256 = SHA256()
        let algorithm: Algorithm

        init(_ algorithm: Algorithm) {
            self.algorithm = algorithm
        }

        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            switch algorithm {
            case .sha1: sha1.update(bufferPointer: bytes)
            case .sha256: sha256.update(bufferPointer: bytes)
            }
        }

        func finalize() -> [UInt8] {
            switch algorithm {
            case .sha1: Array(sha1.finalize())
            case .sha256: Array(sha256.finalize())
            }
        }
    }
}
