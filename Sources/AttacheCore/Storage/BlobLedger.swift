public import Foundation

/// The blob rows behind files: claims of content about to be stored, and `gc`'s marks of content to
/// remove (the blob lifetime is described on ``MetadataStore``). (A role of ``MetadataStore``.)
public protocol BlobLedger: Sendable {
    /// Claims the addresses of content about to be stored (one claim per address).
    /// - Throws: ``BlobLifecycleError/deletionInProgress(_:)`` while `gc` removes one of them.
    func claimBlobs(_ addresses: [BlobAddress: Int64]) async throws -> [BlobAddress: BlobClaim]
    /// Calls `visit` for every blob that files reference, with its recorded size.
    func forEachBlob(_ visit: (BlobAddress, Int64) async throws -> Void) async throws
    /// Marks for deletion up to `limit` blobs that no file references and that were released before
    /// `releasedBefore`, and returns them with deletions that were marked before `staleBefore` and never
    /// finished (their process died).
    func markBlobsForDeletion(releasedBefore: Date, staleBefore: Date, limit: Int) async throws -> [BlobDeletion]
    /// Marks content that has no blob row (left by a crash between promotion and commit) for deletion.
    /// - Returns: `nil` when a row exists (the content is claimed, or collected through its row).
    func markOrphanContentForDeletion(_ address: BlobAddress) async throws -> BlobDeletion?
    /// Removes the row of a deletion whose content is gone.
    func finishBlobDeletion(_ deletion: BlobDeletion) async throws
    /// The CRC-32 of each stored content that has one (uploads record it; older content has none
    /// until ``recordChecksum(_:of:)``).
    func checksums(of addresses: [BlobAddress]) async throws -> [BlobAddress: UInt32]
    /// Keeps the CRC-32 of a stored content that has none yet (a content's checksum never changes).
    func recordChecksum(_ crc32: UInt32, of address: BlobAddress) async throws
}
