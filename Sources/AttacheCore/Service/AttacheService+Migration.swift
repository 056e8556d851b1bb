import Logging

extension AttacheService {
    /// What ``migrateBlobs(to:visit:)`` did.
    public struct MigrationReport: Sendable, Hashable {
        /// Content copied, then read back and hashed at the destination.
        public var copied = 0
        /// Content already at the destination with its recorded size (a previous run copied it).
        public var present = 0
        /// Bytes copied.
        public var bytes: Int64 = 0

        public init() {}
    }

    /// Copies every blob that a file references from this service's blob store to `destination`, and
    /// checks each copy by reading it back and hashing it. Content already at the destination with its
    /// recorded size is skipped, so a run that was interrupted resumes where it stopped, and a second
    /// run copies only what was uploaded meanwhile. Safe while servers run: nothing is deleted, and a
    /// copy becomes visible at the destination only whole (a promotion, as for uploads).
    /// - Parameter visit: called after each blob (for progress).
    /// - Throws: `storageUnavailable` when a copy does not hash to its address, or content is missing.
    public func migrateBlobs(to destination: any BlobStore, visit: (BlobAddress, Bool) -> Void = { _, _ in }) async throws -> MigrationReport {
        var report = MigrationReport()
        try await metadata.forEachBlob { address, size in
            if let existing = try await destination.open(address, range: size > 0 ? 0..<1 : nil), existing.contentSize == size {
                report.present += 1
                visit(address, false)
                return
            }
            guard let source = try await blobs.open(address, range: nil) else {
                throw AttacheError(.storageUnavailable, "The content of \(address) is missing from the source store.")
            }
            let writer = try await destination.makeWriter()
            let staged: StagedBlob
            do {
                try await source.stream { try await writer.write($0) }
                staged = try await writer.finish()
            } catch {
                await writer.abort()
                throw error
            }
            do {
                try await destination.promote(staged, to: address)
                await destination.discard(staged)
            } catch {
                await destination.discard(staged)
                throw error
            }
            try await Self.verify(address, size: size, in: destination)
            report.copied += 1
            report.bytes += size
            visit(address, true)
        }
        return report
    }

    /// Reads `address` back from `store` and checks its size and SHA-256.
    private static func verify(_ address: BlobAddress, size: Int64, in store: any BlobStore) async throws {
        guard let copy = try await store.open(address, range: nil) else {
            throw AttacheError(.storageUnavailable, "The copy of \(address) is missing at the destination.")
        }
        let (digest, read) = try await copy.digest()
        guard digest == address.sha256, read == size else {
            throw AttacheError(.storageUnavailable, "The copy of \(address) at the destination is damaged (\(read) bytes, SHA-256 \(digest)).")
        }
    }
}
