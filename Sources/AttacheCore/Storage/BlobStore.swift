public import Foundation
public import NIOCore

/// Stores content by address. Implementations: local disk, S3-compatible object storage.
///
/// Writes are staged first and made visible by ``promote(_:to:)``, which is atomic: a reader sees either
/// nothing or the whole content under an address, never part of it.
public protocol BlobStore: Sendable {
    /// Starts staging new content.
    func makeWriter() async throws -> any BlobWriter

    /// Makes staged content visible under `address`. If the address already holds content (same hash, so
    /// same bytes) the staged copy is dropped.
    func promote(_ staged: StagedBlob, to address: BlobAddress) async throws

    /// Drops staged content that will not be promoted.
    func discard(_ staged: StagedBlob) async

    /// The size of the content at `address`, or `nil` when there is none.
    func size(of address: BlobAddress) async throws -> Int64?

    /// Streams `range` of the content at `address` to `consume`, chunk by chunk.
    func read(
        _ address: BlobAddress,
        range: Range<Int64>,
        into consume: (ByteBuffer) async throws -> Void
    ) async throws

    /// Removes the content at `address`. Removing missing content is not an error.
    func delete(_ address: BlobAddress) async throws

    /// Removes staged content older than `cutoff` (left behind by crashes or aborted uploads).
    /// - Returns: how many staged items were removed.
    func removeStagedContent(olderThan cutoff: Date) async throws -> Int

    /// Calls `visit` for every stored blob with the time it was last written.
    func forEachBlob(_ visit: (BlobAddress, Date) async throws -> Void) async throws

    /// Whether the store can be reached and written to (for readiness checks).
    func checkHealth() async throws
}
