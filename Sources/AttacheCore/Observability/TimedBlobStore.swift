public import Foundation

/// A ``BlobStore`` that times every call to the store it wraps (``ServiceMetrics/storeCall(_:operation:duration:)``,
/// store `blob`). Streaming a download or an upload is the transfer's time, not the store's, and is not timed.
public struct TimedBlobStore: BlobStore {
    public let base: any BlobStore
    let metrics: ServiceMetrics

    public init(_ base: any BlobStore, metrics: ServiceMetrics) {
        self.base = base
        self.metrics = metrics
    }

    public func makeWriter(continuing staged: StagedBlob?) async throws -> any BlobWriter {
        try await metrics.timing("blob", "make_writer") { try await base.makeWriter(continuing: staged) }
    }

    public func alias(_ staged: StagedBlob) async throws -> StagedBlob {
        try await metrics.timing("blob", "alias") { try await base.alias(staged) }
    }

    public func promote(_ staged: StagedBlob, to address: BlobAddress) async throws {
        try await metrics.timing("blob", "promote") { try await base.promote(staged, to: address) }
    }

    public func discard(_ staged: StagedBlob) async {
        await metrics.timing("blob", "discard") { await base.discard(staged) }
    }

    public func open(_ address: BlobAddress, range: Range<Int64>?) async throws -> (any BlobReader)? {
        try await metrics.timing("blob", "open") { try await base.open(address, range: range) }
    }

    public func delete(_ address: BlobAddress) async throws {
        try await metrics.timing("blob", "delete") { try await base.delete(address) }
    }

    public func removeStagedContent(olderThan cutoff: Date, keeping: () async throws -> Set<String>) async throws -> Int {
        try await metrics.timing("blob", "remove_staged") { try await base.removeStagedContent(olderThan: cutoff, keeping: keeping) }
    }

    public func openStaged(_ staged: StagedBlob) async throws -> any BlobReader {
        try await metrics.timing("blob", "open_staged") { try await base.openStaged(staged) }
    }

    public func countStagedContent() async throws -> Int {
        try await base.countStagedContent()
    }

    public func forEachBlob(_ visit: (BlobAddress, Date) async throws -> Void) async throws {
        try await base.forEachBlob(visit)
    }

    public func directDownloadURL(_ address: BlobAddress, contentType: String, contentDisposition: String, lifetime: TimeInterval) throws -> String? {
        try base.directDownloadURL(address, contentType: contentType, contentDisposition: contentDisposition, lifetime: lifetime)
    }

    public func checkHealth() async throws {
        try await metrics.timing("blob", "check_health") { try await base.checkHealth() }
    }
}
