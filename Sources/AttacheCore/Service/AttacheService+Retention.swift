import Foundation
import Logging

/// Retention by category (``RetentionRule``): `gc` deletes what a rule no longer keeps, one attachment
/// per transaction, each checked again as it is deleted — so a legal hold that comes meanwhile keeps it,
/// and a run cut off by a crash deletes nothing twice (what it deleted is gone; the next run finds the rest).
extension AttacheService {
    static let retentionBatchSize = 100

    /// Deletes every attachment whose retention ran out at `now`. - Returns: how many.
    public func enforceRetention(now: Date = Date()) async throws -> Int {
        var removed = 0
        while true {
            let due = try await metadata.retentionDue(tenantID: nil, now: now, limit: Self.retentionBatchSize)
            var deleted = 0
            for candidate in due {
                if let gone = try await metadata.deleteForRetention(tenantID: candidate.tenantID, attachmentUUID: candidate.attachmentUUID, now: now) {
                    deleted += 1
                    logger.info(
                        "retention deleted an attachment",
                        metadata: ["attachment": "\(gone.attachmentUUID.lowercasedText)", "tenant": "\(gone.tenantID)", "reason": "\(gone.reason)"]
                    )
                }
            }
            removed += deleted
            // A batch that deleted nothing would be read again unchanged: what is left is held or gone.
            if due.count < Self.retentionBatchSize || deleted == 0 { return removed }
        }
    }

    /// When retention deletes each of these attachments that a rule will delete (by uuid): in a
    /// category with a rule, with the date it counts from, and no legal hold on it or its record. The
    /// tenant's categories are read only when one of them is in a category.
    public func scheduledDeletions(_ principal: Principal, of attached: [AttachedFile]) async throws -> [UUID: Date] {
        let categorized = attached.filter { $0.attachment.category != nil && !$0.attachment.legalHold && !$0.record.legalHold }
        guard !categorized.isEmpty else { return [:] }
        let rules = try await metadata.categories(tenantID: principal.tenant.id).reduce(into: [String: RetentionRule]()) { rules, category in
            rules[category.name] = category.retention
        }
        var deletions: [UUID: Date] = [:]
        for item in categorized {
            guard let name = item.attachment.category, let rule = rules[name],
                let due = rule.dueAt(createdAt: item.attachment.createdAt, expiresOn: item.attachment.expiresOn)
            else { continue }
            deletions[item.attachment.uuid] = due
        }
        return deletions
    }

    /// What the next run would delete, of one tenant or all: `attache retention preview`.
    public func retentionPreview(tenantSlug: String?, now: Date = Date(), limit: Int = 1000) async throws -> [RetentionDue] {
        var tenantID: Int64?
        if let tenantSlug { tenantID = try await tenant(slug: tenantSlug).id }
        return try await metadata.retentionDue(tenantID: tenantID, now: now, limit: limit)
    }
}
