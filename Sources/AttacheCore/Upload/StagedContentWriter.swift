import NIOCore

/// The writer of an ``UploadSession`` whose bytes are staged already (a resumable upload's content,
/// appended to one staging file as it arrived): the session reads them to type, check, scan and hash
/// them, and its result is a second name for that content (``BlobStore/alias(_:)``) — nothing is
/// written again, and whatever happens to the result, the upload keeps its content until it settles.
struct StagedContentWriter: BlobWriter {
    let staged: StagedBlob
    let blobs: any BlobStore

    var stagingKey: String { staged.stagingKey }

    func write(_ buffer: ByteBuffer) async throws {}

    func finish() async throws -> StagedBlob {
        try await blobs.alias(staged)
    }

    func abort() async {}
}
