package import AttacheCore
package import Foundation

/// ``DerivationStore``: the jobs, text and preview images in the tables, with the SQL stores' rules.
extension InMemoryMetadataStore {
    package func claimDerivationJob(holder: String, now: Date, leaseEnd: Date) -> DerivationJob? {
        // Times compare in milliseconds, as the SQL stores keep them (a job made within the same
        // millisecond as `now` is due).
        let now = now.roundedToMilliseconds
        return transaction { tables in
            let due = tables.derivationJobs.filter { _, row in
                (row.state == .queued && row.runAfter <= now) || (row.state == .running && (row.leaseEnd ?? now) < now)
            }
            guard let (key, row) = due.min(by: { $0.value.id < $1.value.id }) else { return nil }
            var claimed = row
            claimed.state = .running
            claimed.holder = holder
            claimed.leaseEnd = leaseEnd.roundedToMilliseconds
            claimed.attempts += 1
            tables.derivationJobs[key] = claimed
            return DerivationJob(id: row.id, address: key.address, kind: key.kind, mimeType: row.mimeType, attempt: claimed.attempts)
        }
    }

    package func completeDerivationJob(_ job: DerivationJob, holder: String, result: DerivationResult, now: Date) throws -> Bool {
        try transaction { tables in
            if case .previews(let images) = result {
                for image in images {
                    let address = image.address(tenantID: job.address.tenantID)
                    if tables.blobs[address]?.state == .deleting { throw BlobLifecycleError.deletionInProgress(address) }
                }
            }
            guard endClaim(job, holder: holder, in: &tables, change: { $0.state = .done }) else { return false }
            switch result {
            case .text(let text):
                tables.derivedTexts[job.address] = text
            case .previews(let images):
                tables.derivedImages[job.address] = Dictionary(images.map { ($0.size, $0) }) { _, last in last }
            }
            return true
        }
    }

    package func failDerivationJob(_ job: DerivationJob, holder: String, reason: String, retryAt: Date?, now: Date) -> Bool {
        transaction { tables in
            endClaim(job, holder: holder, in: &tables) { row in
                row.reason = reason
                if let retryAt {
                    row.state = .queued
                    row.runAfter = retryAt.roundedToMilliseconds
                } else {
                    row.state = .failed
                }
            }
        }
    }

    package func countDerivationJobs() -> [String: Int] {
        tables.derivationJobs.values.reduce(into: [:]) { counts, row in counts[row.state.rawValue, default: 0] += 1 }
    }

    package func requeueDerivations(tenantID: Int64?, restart: Bool, limit: Int, now: Date) -> Int {
        transaction { tables in
            let scope = tenantID.map { "tenant:\($0)" } ?? "all"
            if restart { tables.derivationRebuilds[scope] = nil }
            let cursor = tables.derivationRebuilds[scope]
            var contents: [BlobAddress: String] = [:]
            for file in tables.files.values where tenantID.map({ file.tenantID == $0 }) ?? true {
                let address = file.blobAddress
                if let cursor, (address.tenantID, address.sha256) <= (cursor.tenantID, cursor.sha256) { continue }
                contents[address] = min(contents[address] ?? file.mimeType, file.mimeType)
            }
            let batch = contents.sorted { ($0.key.tenantID, $0.key.sha256) < ($1.key.tenantID, $1.key.sha256) }.prefix(limit)
            guard let last = batch.last else {
                tables.derivationRebuilds[scope] = nil
                return 0
            }
            for (address, mimeType) in batch { tables.queueDerivations(address, mimeType: mimeType, again: true, at: now) }
            tables.derivationRebuilds[scope] = last.key
            return batch.count
        }
    }

    package func derivedText(of address: BlobAddress) -> DerivedText? {
        tables.derivedTexts[address]
    }

    package func previewImage(of address: BlobAddress, size: PreviewSize) -> PreviewImage? {
        tables.derivedImages[address]?[size]
    }

    package func derivationState(of address: BlobAddress, kind: DerivationKind) -> DerivationState? {
        tables.derivationJobs[InMemoryTables.DerivationJobKey(address: address, kind: kind)]?.state
    }

    package func requeueDerivation(of address: BlobAddress, kind: DerivationKind, mimeType: String, now: Date) {
        transaction { tables in
            tables.queueDerivation(kind, of: address, mimeType: mimeType, again: true, at: now)
            if kind == .preview, tables.derivationJobs[InMemoryTables.DerivationJobKey(address: address, kind: kind)]?.state == .queued {
                tables.derivedImages[address] = nil
            }
        }
    }

    private func endClaim(
        _ job: DerivationJob, holder: String, in tables: inout InMemoryTables, change: (inout InMemoryTables.DerivationJobRow) -> Void
    ) -> Bool {
        let key = InMemoryTables.DerivationJobKey(address: job.address, kind: job.kind)
        guard var row = tables.derivationJobs[key], row.id == job.id, row.state == .running, row.holder == holder, row.attempts == job.attempt
        else { return false }
        change(&row)
        row.holder = nil
        row.leaseEnd = nil
        tables.derivationJobs[key] = row
        return true
    }
}
