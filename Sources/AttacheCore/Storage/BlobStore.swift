public import Foundation
public import NIOCore

/// Stores content by address. Implementations: local disk, S3-compatible object storage.
///
/// Content I/O never runs inside a metadata transaction. The metadata store decides *when* content may
/// appear or disappear (see ``MetadataStore`` and ``BlobClaim``); the blob store only moves bytes:
/// - ``promote(_:to:)`` copies staged content to its address atomically (a reader sees the whole content
///   or none) and leaves the staged copy in place until ``discard(_:)``, so a promotion can be repeated;
/// - ``delete(_:)`` is only called for an address the metadata store has marked for deletion.
public protocol BlobStore: Sendable {
    /// Starts staging content: new content, or — where the store can append (the disk) — more bytes
    /// at the end of `staged` (a resumable upload's earlier chunks; anything stored past its size is
    /// dropped first), finishing as that key with the sum of the sizes. A store that cannot append
    /// (S3) starts new content whatever `staged` is. Aborting a continuation keeps `staged` as it was.
    func makeWriter(continuing staged: StagedBlob?) async throws -> any BlobWriter

    /// Makes staged content visible under `address`, unless content is already there (same address, so
    /// same bytes). Idempotent; the staged copy stays until ``discard(_:)``.
    func promote(_ staged: StagedBlob, to address: BlobAddress) async throws

    /// A second name for staged content (a hard link; on S3 a server-side copy): discarding either
    /// name leaves the other.
    func alias(_ staged: StagedBlob) async throws -> StagedBlob

    /// Drops a staged copy. Safe to call for one that is already gone.
    func discard(_ staged: StagedBlob) async

    /// Opens the content at `address` for reading `range` (all of it when `nil`), or returns `nil` when
    /// there is none. Once open, the bytes stay readable even if the content is deleted meanwhile (the
    /// disk store holds the file open; the S3 store has its response stream open).
    func open(_ address: BlobAddress, range: Range<Int64>?) async throws -> (any BlobReader)?

    /// Removes the content at `address`. Removing missing content is not an error.
    func delete(_ address: BlobAddress) async throws

    /// Removes staged content (and, on S3, unfinished multipart uploads) older than `cutoff`: what
    /// crashes and aborted uploads left behind — but not the staging keys `keeping` returns (the parts of
    /// resumable uploads still under way, and the chunks being written). `keeping` is asked *after*
    /// the candidates are listed, so content whose key was registered before it existed is never taken.
    /// - Returns: how many staged items were removed.
    func removeStagedContent(olderThan cutoff: Date, keeping: () async throws -> Set<String>) async throws -> Int

    /// Opens finished staged content for reading (a resumable upload's parts, read back when it completes).
    /// - Throws: `storageUnavailable` when it is gone.
    func openStaged(_ staged: StagedBlob) async throws -> any BlobReader

    /// How many staged items there are: uploads being received, and what crashes left behind.
    func countStagedContent() async throws -> Int

    /// Calls `visit` for every stored blob with the time it was last written.
    func forEachBlob(_ visit: (BlobAddress, Date) async throws -> Void) async throws

    /// Whether the store can be reached and written to (for readiness checks).
    func checkHealth() async throws

    /// A URL from which a client may `GET` the content at `address` itself for `lifetime` seconds, the
    /// response carrying `contentType` and `contentDisposition`; `nil` when the store cannot hand out
    /// such URLs (the disk store: its bytes go through the server).
    func directDownloadURL(_ address: BlobAddress, contentType: String, contentDisposition: String, lifetime: TimeInterval) throws -> String?
}

/// Content opened by ``BlobStore/open(_:range:)``.
public protocol BlobReader: Sendable {
    /// The size of the whole stored content (not of the opened range).
    var contentSize: Int64 { get }

    /// Streams the opened range to `consume`, chunk by chunk. Call it once.
    func stream(into consume: (ByteBuffer) async throws -> Void) async throws
}
