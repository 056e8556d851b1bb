import Crypto
public import NIOCore

/// What an upload's bytes have told so far: how many there were, their SHA-256 and CRC-32 in progress
/// (the CRC for ZIP archives of records) and the
/// first ``ContentSniffer/headLength`` of them (to decide the type). A value: a copy carries on where
/// the original stopped, so a resumable upload's chunks can be hashed as they arrive, request after
/// request on one node, instead of being read again at the end.
///
/// `@unchecked`: swift-crypto's `SHA256` is not marked `Sendable`, but it is a copy-on-write value (it
/// copies its context before changing a shared one), so copies in different tasks never share a change.
public struct ContentDigestState: @unchecked Sendable {
    private var hasher = SHA256()
    private var checksum = CRC32()
    public private(set) var byteCount: Int64 = 0
    public private(set) var head: [UInt8] = []

    public init() {}

    /// Takes the next bytes of the content.
    public mutating func update(_ chunk: ByteBuffer) {
        byteCount += Int64(chunk.readableBytes)
        chunk.withUnsafeReadableBytes { bytes in
            hasher.update(bufferPointer: bytes)
            checksum.update(bytes)
        }
        if head.count < ContentSniffer.headLength {
            let wanted = ContentSniffer.headLength - head.count
            head += chunk.getBytes(at: chunk.readerIndex, length: min(wanted, chunk.readableBytes)) ?? []
        }
    }

    /// The SHA-256 of every byte taken.
    public func digest() -> [UInt8] {
        Array(hasher.finalize())
    }

    /// The CRC-32 of every byte taken.
    public var crc32: UInt32 { checksum.value }
}
