import Crypto
import Logging
import NIOCore
public import Foundation

extension AttacheService {
    /// How long a deletion mark protects content from a second `gc`: a process that marked content and
    /// has not finished removing it within this time is taken to have died.
    public static let deletionLease: TimeInterval = 600
    /// Blob rows marked for deletion per transaction.
    static let collectionBatchSize = 200

    /// Removes what nothing references any more, once it is older than `grace`: staged uploads
    /// (and unfinished S3 multipart uploads), the content of released blobs, and content without a row;
    /// and audit events older than ``auditRetention``.
    ///
    /// Content of a deleted file stays readable for `grace`, so downloads in flight finish. Safe to run
    /// on any number of nodes at once and beside running servers: content is removed only after its row
    /// is marked (see ``BlobClaim``). `grace` 0 also takes over deletion marks of any age, for an
    /// operator who knows no other `gc` is running.
    public func collectGarbage(grace: TimeInterval, now: Date = Date()) async throws -> MaintenanceReport {
        let cutoff = now.addingTimeInterval(-grace)
        let staleBefore = now.addingTimeInterval(-min(grace, Self.deletionLease))
        var report = MaintenanceReport()
        // Versions past their tenant's retention first: their content is released now, and collected
        // by a later run once the grace has passed.
        report.removedVersions = try await Self.deleteInBatches { try await metadata.pruneVersions(now: now, limit: $0) }
        report.removedByRetention = try await enforceRetention(now: now)
        let expiredParts = try await metadata.deleteExpiredResumableUploads(before: now)
        await blobs.discard(all: expiredParts.map(\.staged))
        report.removedResumableParts = expiredParts.count
        // Parts of resumable uploads still under way are kept however old they are.
        report.removedStagedContent = try await blobs.removeStagedContent(olderThan: cutoff) { try await metadata.resumableStagingKeys() }
        while true {
            let marked = try await metadata.markBlobsForDeletion(
                releasedBefore: cutoff, staleBefore: staleBefore, limit: Self.collectionBatchSize
            )
            for deletion in marked {
                try await blobs.delete(deletion.address)
                try await metadata.finishBlobDeletion(deletion)
                report.removedBlobs += 1
                logger.debug("gc removed released content", metadata: ["blob": "\(deletion.address)"])
            }
            if marked.count < Self.collectionBatchSize { break }
        }
        try await blobs.forEachBlob { address, modifiedAt in
            guard modifiedAt < cutoff, let deletion = try await metadata.markOrphanContentForDeletion(address) else { return }
            try await blobs.delete(address)
            try await metadata.finishBlobDeletion(deletion)
            report.removedOrphanBlobs += 1
            logger.info("gc removed content without a blob row", metadata: ["blob": "\(address)"])
        }
        // Attempts on share passwords are forgotten a day after the last one, once no lock-out holds.
        _ = try await metadata.pruneSharePasswordAttempts(before: now.addingTimeInterval(-86_400))
        if let auditRetention {
            (report.removedAuditEvents, report.removedChangeEvents, report.removedWebhookDeliveries) = try await trimAuditTrail(olderThan: auditRetention, now: now)
        }
        metrics.collected(report)
        return report
    }

    /// Runs ``collectGarbage(grace:now:)`` if this node holds (or takes) the `gc` lease, which lasts
    /// one and a half `interval`s: of all nodes running the periodic collection, one collects, and
    /// another takes over within that time when it stops.
    /// - Returns: the report; `nil` when another node holds the lease.
    public func collectGarbageAsLeaseHolder(interval: Duration, grace: TimeInterval, now: Date = Date()) async throws -> MaintenanceReport? {
        let lease = TimeInterval(interval.components.seconds) * 1.5
        guard try await metadata.acquireLease("gc", holder: nodeID, now: now, expiresAt: now.addingTimeInterval(lease)) else {
            return nil
        }
        return try await collectGarbage(grace: grace, now: now)
    }

    /// Runs ``collectGarbageAsLeaseHolder(interval:grace:now:)`` every `interval` until the task is
    /// cancelled; failures are logged and retried at the next turn.
    public func collectGarbagePeriodically(every interval: Duration, grace: TimeInterval) async {
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                guard let report = try await collectGarbageAsLeaseHolder(interval: interval, grace: grace) else {
                    logger.debug("background gc left to the node holding the lease")
                    continue
                }
                if report.removedBlobs + report.removedOrphanBlobs + report.removedStagedContent + report.removedAuditEvents + report.removedChangeEvents + report.removedWebhookDeliveries + report.removedVersions + report.removedByRetention > 0 {
                    logger.info(
                        "background gc",
                        metadata: [
                            "removedBlobs": "\(report.removedBlobs)", "removedOrphanBlobs": "\(report.removedOrphanBlobs)",
                            "removedStaged": "\(report.removedStagedContent)", "removedAuditEvents": "\(report.removedAuditEvents)", "removedChangeEvents": "\(report.removedChangeEvents)", "removedWebhookDeliveries": "\(report.removedWebhookDeliveries)", "removedVersions": "\(report.removedVersions)", "removedByRetention": "\(report.removedByRetention)",
                        ]
                    )
                }
            } catch is CancellationError {
                return
            } catch {
                metrics.collected(nil)
                logger.error("background gc failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// Re-hashes every referenced blob and compares it with its recorded SHA-256 and size. Each damaged
    /// content is reported with its tenant and the files, attachments and records it concerns; with
    /// `quarantine`, those files are quarantined (never served, `file.quarantine` audited), and files
    /// quarantined so earlier whose content is whole again (restored from a backup) are served again.
    public func verifyBlobs(quarantine: Bool = false, actor: AuditActor = .cli) async throws -> MaintenanceReport {
        var report = MaintenanceReport()
        try await metadata.forEachBlob { address, size in
            report.checkedBlobs += 1
            guard let reason = try await damage(of: address, recordedSize: size) else {
                if quarantine { report.restoredFiles += try await metadata.clearDamage(of: address) }
                return
            }
            let tenant = try await metadata.tenant(id: address.tenantID)
            var damaged = DamagedContent(
                address: address, tenantSlug: tenant?.slug ?? String(address.tenantID), reason: reason,
                files: try await metadata.filesHolding(address)
            )
            if quarantine {
                damaged.quarantinedFiles = try await metadata.setScanStatus(.damaged(reason: reason), of: address, audit: AuditContext(actor: actor))
                logger.warning("damaged content quarantined", metadata: ["blob": "\(address)", "reason": "\(reason)", "files": "\(damaged.quarantinedFiles)"])
            }
            report.damaged.append(damaged)
        }
        metrics.verified(report)
        return report
    }

    /// What is wrong with the content at `address`; `nil` when it is whole.
    private func damage(of address: BlobAddress, recordedSize size: Int64) async throws -> String? {
        guard let reader = try await blobs.open(address, range: nil) else { return "content is missing" }
        let (digest, read) = try await reader.digest()
        if digest != address.sha256 { return "content hashes to \(digest)" }
        if read != size || reader.contentSize != size { return "\(read) bytes stored, \(size) recorded" }
        return nil
    }
}
