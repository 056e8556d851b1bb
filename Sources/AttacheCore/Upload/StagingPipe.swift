import NIOCore

/// The bytes of an upload on their way to the blob store, in order: hashed as they pass and gathered
/// into batches of ``coalescingCapacity`` before they are written (network chunks are a few KiB; a
/// write each would cost a system call, or an S3 part, per chunk). Memory: one batch, whatever the
/// upload's size.
///
/// Every upload path writes through one: a one-request upload's ``UploadSession``, and each chunk of a
/// resumable upload, which goes on from the digest an earlier chunk left on this node. The rules the
/// bytes must follow (size, quota, type) are the caller's; they are checked between ``take(_:)``, which
/// only counts and hashes, and ``writeFullBatch(passingTo:)``, which writes.
struct StagingPipe {
    static let coalescingCapacity = 256 * 1024

    let writer: any BlobWriter
    /// What the content's bytes told so far; `nil` when this node does not know its beginning (a
    /// resumable upload whose earlier chunk went to another node).
    private(set) var content: ContentDigestState?
    /// Bytes taken by this pipe.
    private(set) var taken: Int64 = 0
    private var batch: ByteBuffer

    init(writer: any BlobWriter, continuing content: ContentDigestState? = ContentDigestState()) {
        self.writer = writer
        self.content = content
        self.batch = ByteBuffer()
        self.batch.reserveCapacity(Self.coalescingCapacity)
    }

    /// Counts and hashes the next bytes and adds them to the batch; writes nothing.
    mutating func take(_ chunk: ByteBuffer) {
        taken += Int64(chunk.readableBytes)
        content?.update(chunk)
        var chunk = chunk
        batch.writeBuffer(&chunk)
    }

    /// Takes `state` as the content so far, its bytes already where they belong (a resumable upload's
    /// content, hashed chunk by chunk as it arrived).
    mutating func adopt(_ state: ContentDigestState) {
        content = state
    }

    /// Writes the batch once it is full, and hands it to `observer` (a malware scan).
    /// - Returns: whether it wrote one, and what `observer` failed with.
    @discardableResult
    mutating func writeFullBatch(
        passingTo observer: (ByteBuffer) async -> (any Error)? = { _ in nil }
    ) async throws -> (written: Bool, observerFailure: (any Error)?) {
        guard batch.readableBytes >= Self.coalescingCapacity else { return (false, nil) }
        return (true, try await flush(passingTo: observer))
    }

    /// Writes what the batch holds, and hands it to `observer`. - Returns: what `observer` failed with.
    @discardableResult
    mutating func flush(passingTo observer: (ByteBuffer) async -> (any Error)? = { _ in nil }) async throws -> (any Error)? {
        guard batch.readableBytes > 0 else { return nil }
        try await writer.write(batch)
        let failure = await observer(batch)
        batch.clear()
        return failure
    }
}
