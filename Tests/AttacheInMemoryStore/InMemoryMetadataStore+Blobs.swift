package import AttacheCore
package import Foundation

/// ``BlobLedger``: claims, releases and `gc`'s marks, with the lifetime ``MetadataStore`` describes.
extension InMemoryMetadataStore {
    package func claimBlobs(_ addresses: [BlobAddress: Int64]) throws -> [BlobAddress: BlobClaim] {
        try transaction { tables in
            let now = Date().roundedToMilliseconds
            var claims: [BlobAddress: BlobClaim] = [:]
            for (address, size) in addresses {
                switch tables.blobs[address] {
                case nil:
                    let generation = tables.newGeneration()
                    tables.blobs[address] = InMemoryTables.BlobRow(size: size, generation: generation, state: .pending, releasedAt: now)
                    claims[address] = BlobClaim(address: address, generation: generation, needsContent: true)
                case let row? where row.state == .deleting:
                    throw BlobLifecycleError.deletionInProgress(address)
                case var row?:
                    // A claim renews the grace of content no file holds yet, so gc leaves it to the upload.
                    if row.releasedAt != nil { row.releasedAt = now }
                    tables.blobs[address] = row
                    claims[address] = BlobClaim(address: address, generation: row.generation, needsContent: row.state != .stored)
                }
            }
            return claims
        }
    }

    /// Visits a snapshot of the stored blobs, outside the actor (the visit may call the store).
    nonisolated package func forEachBlob(_ visit: (BlobAddress, Int64) async throws -> Void) async throws {
        for (address, size) in await storedBlobs() {
            try await visit(address, size)
        }
    }

    private func storedBlobs() -> [(BlobAddress, Int64)] {
        tables.blobs.filter { $0.value.state == .stored }
            .sorted { ($0.key.tenantID, $0.key.sha256) < ($1.key.tenantID, $1.key.sha256) }
            .map { ($0.key, $0.value.size) }
    }

    package func markBlobsForDeletion(releasedBefore: Date, staleBefore: Date, limit: Int) -> [BlobDeletion] {
        transaction { tables in
            let candidates = tables.blobs
                .filter { _, row in
                    row.state == .deleting ? (row.markedAt ?? .distantPast) <= staleBefore : (row.releasedAt.map { $0 <= releasedBefore } ?? false)
                }
                .keys.sorted { ($0.tenantID, $0.sha256) < ($1.tenantID, $1.sha256) }
                .prefix(max(limit, 1))
            let now = Date().roundedToMilliseconds
            var marked: [BlobDeletion] = []
            for address in candidates {
                guard var row = tables.blobs[address] else { continue }
                if row.state != .deleting, tables.isReferenced(address) {
                    // Released, then referenced again: not content to collect.
                    row.releasedAt = nil
                    tables.blobs[address] = row
                    continue
                }
                if row.state != .deleting, tables.isPreviewImage(address) {
                    // A preview image of other content is these bytes: kept by that image, without a row.
                    tables.blobs[address] = nil
                    tables.forgetDerivedWork(address)
                    continue
                }
                row.state = .deleting
                row.generation = tables.newGeneration()
                row.markedAt = now
                tables.blobs[address] = row
                marked.append(BlobDeletion(address: address, generation: row.generation))
            }
            return marked
        }
    }

    package func markOrphanContentForDeletion(_ address: BlobAddress) -> BlobDeletion? {
        transaction { tables in
            guard tables.blobs[address] == nil, !tables.isPreviewImage(address) else { return nil }
            let generation = tables.newGeneration()
            // Content of a tenant that does not exist cannot be claimed either; it needs no mark.
            if tables.tenants[address.tenantID] != nil {
                let now = Date().roundedToMilliseconds
                tables.blobs[address] = InMemoryTables.BlobRow(size: 0, generation: generation, state: .deleting, releasedAt: now, markedAt: now)
            }
            return BlobDeletion(address: address, generation: generation)
        }
    }

    package func checksums(of addresses: [BlobAddress]) -> [BlobAddress: UInt32] {
        addresses.reduce(into: [:]) { found, address in found[address] = tables.blobs[address]?.crc32 }
    }

    package func recordChecksum(_ crc32: UInt32, of address: BlobAddress) {
        if tables.blobs[address] != nil, tables.blobs[address]?.crc32 == nil { tables.blobs[address]?.crc32 = crc32 }
    }

    package func finishBlobDeletion(_ deletion: BlobDeletion) {
        guard let row = tables.blobs[deletion.address], row.state == .deleting, row.generation == deletion.generation else { return }
        tables.blobs[deletion.address] = nil
        tables.forgetDerivedWork(deletion.address)
    }
}
