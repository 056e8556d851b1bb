public import Foundation

extension BlobStore {
    /// Starts staging new content.
    public func makeWriter() async throws -> any BlobWriter {
        try await makeWriter(continuing: nil)
    }

    /// Removes every staged item older than `cutoff`.
    public func removeStagedContent(olderThan cutoff: Date) async throws -> Int {
        try await removeStagedContent(olderThan: cutoff, keeping: { [] })
    }

    /// Drops staged copies in a task of their own, so that it completes even when the calling task was
    /// cancelled (a client that disconnects cancels its request's task).
    func discard(all staged: [StagedBlob]) async {
        guard !staged.isEmpty else { return }
        await Task {
            for blob in staged { await discard(blob) }
        }.value
    }
}
