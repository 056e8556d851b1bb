internal import AttacheCore
internal import Foundation

extension InMemoryTables {
    /// Deletes an attachment with its earlier versions, and the files nothing names any more, audited
    /// with `detail`. - Returns: what was deleted; `nil` when it is gone.
    mutating func removeAttachment(uuid: UUID, tenantID: Int64, audit: AuditContext, detail: String?) throws -> AttachedFile? {
        guard let (key, attachment) = attachments.first(where: { $0.value.tenantID == tenantID && $0.value.uuid == uuid }).map({ ($0.key, $0.value) }),
            let removed = attachedFile(attachment)
        else { return nil }
        attachments[key] = nil
        let versionFiles = removeVersions(of: [uuid])
        var events = [
            audit.event(
                .attachmentDelete, tenantID: tenantID, recordUUID: removed.record.uuid, fileID: removed.file.id, fileName: removed.file.name,
                attachmentUUID: uuid, detail: detail
            )
        ]
        for fileID in [attachment.fileID] + Set(versionFiles).subtracting([attachment.fileID]).sorted() {
            if let file = deleteFileIfUnlinked(RowKey(tenantID: tenantID, number: fileID), at: audit.time) {
                events.append(audit.event(.fileDelete, tenantID: tenantID, recordUUID: removed.record.uuid, fileID: file.id, fileName: file.name, size: file.size))
            }
        }
        try writeAuditEvents(events)
        return removed
    }

    /// What a category's rule deletes at `now` (``CategoryStore/retentionDue(tenantID:now:limit:)``).
    func retentionDue(tenantID: Int64?, attachmentUUID: UUID?, now: Date) -> [RetentionDue] {
        attachments.values
            .filter { attachment in
                (tenantID == nil || attachment.tenantID == tenantID) && (attachmentUUID == nil || attachment.uuid == attachmentUUID) && !attachment.legalHold
            }
            .sorted { ($0.tenantID, $0.id) < ($1.tenantID, $1.id) }
            .compactMap { attachment -> RetentionDue? in
                guard let name = attachment.category, let rule = categories[attachment.tenantID]?[name]?.retention,
                    let attached = attachedFile(attachment), !attached.record.legalHold,
                    let start = rule.from == .upload ? attachment.createdAt : attachment.expiresOn
                else { return nil }
                let due = start.addingTimeInterval(TimeInterval(rule.days) * 86_400)
                guard due <= now else { return nil }
                return RetentionDue(
                    tenantID: attachment.tenantID, attachmentUUID: attachment.uuid, recordUUID: attached.record.uuid, fileName: attached.file.name,
                    category: name, rule: rule, dueAt: due
                )
            }
    }
}
