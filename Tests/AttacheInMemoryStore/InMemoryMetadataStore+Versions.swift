package import AttacheCore
package import Foundation

/// ``VersionStore``.
extension InMemoryMetadataStore {
    package func attachmentVersions(tenantID: Int64, attachmentUUID: UUID) -> [AttachmentVersion]? {
        guard let current = tables.currentVersion(tenantID: tenantID, attachmentUUID: attachmentUUID) else { return nil }
        let earlier = (tables.earlierVersions[attachmentUUID] ?? []).sorted { $0.number > $1.number }.compactMap { row in
            tables.files[RowKey(tenantID: tenantID, number: row.fileID)].map {
                AttachmentVersion(number: row.number, file: $0, author: row.author, createdAt: row.createdAt, isCurrent: false)
            }
        }
        return [current] + earlier
    }

    package func restoreAttachmentVersion(
        tenantID: Int64, attachmentUUID: UUID, number: Int64, expectedSHA256: String?, audit: AuditContext
    ) throws -> AttachedFile? {
        try transaction { tables in
            guard let current = tables.currentVersion(tenantID: tenantID, attachmentUUID: attachmentUUID) else { return nil }
            try InMemoryTables.check(current, expectedSHA256: expectedSHA256)
            let fileID: Int64
            if number == current.number {
                fileID = current.file.id
            } else {
                guard let earlier = tables.earlierVersions[attachmentUUID]?.first(where: { $0.number == number }) else {
                    throw AttacheError(.notFound, "Attachment \(attachmentUUID.lowercasedText) has no version \(number).")
                }
                fileID = earlier.fileID
            }
            let made = tables.makeCurrent(fileID: fileID, of: attachmentUUID, tenantID: tenantID, author: audit.actor.text, at: audit.time)
            guard let attachment = tables.attachments.values.first(where: { $0.uuid == attachmentUUID }), let attached = tables.attachedFile(attachment) else {
                return nil
            }
            try tables.writeAuditEvents([
                audit.event(
                    .versionRestore, tenantID: tenantID, recordUUID: attached.record.uuid, fileID: fileID, fileName: attached.file.name,
                    attachmentUUID: attachmentUUID, size: attached.file.size, detail: "version \(number) restored as version \(made)"
                )
            ])
            return attached
        }
    }

    package func deleteAttachmentVersion(tenantID: Int64, attachmentUUID: UUID, number: Int64, audit: AuditContext) throws -> AttachmentVersion? {
        try transaction { tables in
            guard let current = tables.currentVersion(tenantID: tenantID, attachmentUUID: attachmentUUID),
                let attachment = tables.attachments.values.first(where: { $0.uuid == attachmentUUID }), let record = tables.attachedFile(attachment)?.record
            else { return nil }
            guard number != current.number else {
                throw AttacheError(.conflict, "Version \(number) is the attachment's current version; restore another first, or delete the attachment.")
            }
            guard let row = tables.earlierVersions[attachmentUUID]?.first(where: { $0.number == number }),
                let file = tables.files[RowKey(tenantID: tenantID, number: row.fileID)]
            else { return nil }
            tables.earlierVersions[attachmentUUID]?.removeAll { $0.number == number }
            var events = [
                audit.event(
                    .versionDelete, tenantID: tenantID, recordUUID: record.uuid, fileID: file.id, fileName: file.name, attachmentUUID: attachmentUUID,
                    size: file.size, detail: "version \(number)"
                )
            ]
            if let removed = tables.deleteFileIfUnlinked(RowKey(tenantID: tenantID, number: row.fileID), at: audit.time) {
                events.append(audit.event(.fileDelete, tenantID: tenantID, recordUUID: record.uuid, fileID: removed.id, fileName: removed.name, size: removed.size))
            }
            try tables.writeAuditEvents(events)
            return AttachmentVersion(number: number, file: file, author: row.author, createdAt: row.createdAt, isCurrent: false)
        }
    }
}

extension InMemoryTables {
    func currentVersion(tenantID: Int64, attachmentUUID: UUID) -> AttachmentVersion? {
        guard let attachment = attachments.values.first(where: { $0.tenantID == tenantID && $0.uuid == attachmentUUID }),
            let file = files[RowKey(tenantID: tenantID, number: attachment.fileID)]
        else { return nil }
        let made = currentVersionMade[attachmentUUID]
        return AttachmentVersion(number: attachment.version, file: file, author: made?.author, createdAt: made?.at ?? attachment.createdAt, isCurrent: true)
    }

    /// Keeps the current version as an earlier one and shows `fileID`, numbered one past it. - Returns: the number.
    mutating func makeCurrent(fileID: Int64, of attachmentUUID: UUID, tenantID: Int64, author: String, at time: Date) -> Int64 {
        guard let (key, attachment) = attachments.first(where: { $0.value.uuid == attachmentUUID }).map({ ($0.key, $0.value) }),
            let current = currentVersion(tenantID: tenantID, attachmentUUID: attachmentUUID)
        else { return 0 }
        earlierVersions[attachmentUUID, default: []].append(VersionRow(number: current.number, fileID: current.file.id, author: current.author, createdAt: current.createdAt))
        var changed = attachment
        changed.fileID = fileID
        changed.version = current.number + 1
        changed.updatedAt = time.roundedToMilliseconds
        attachments[key] = changed
        currentVersionMade[attachmentUUID] = (author, time.roundedToMilliseconds)
        return changed.version
    }

    /// Makes a stored file the new version of an attachment. - Returns: the version's number.
    mutating func makeVersion(_ precondition: VersionPrecondition, fileID: Int64, tenantID: Int64, author: String, at time: Date) throws -> Int64 {
        guard let current = currentVersion(tenantID: tenantID, attachmentUUID: precondition.attachmentUUID) else {
            throw AttacheError(.notFound, "There is no attachment \(precondition.attachmentUUID.lowercasedText).")
        }
        try Self.check(current, expectedSHA256: precondition.currentSHA256)
        return makeCurrent(fileID: fileID, of: precondition.attachmentUUID, tenantID: tenantID, author: author, at: time)
    }

    static func check(_ current: AttachmentVersion, expectedSHA256: String?) throws(AttacheError) {
        guard let expectedSHA256, expectedSHA256 != current.file.sha256 else { return }
        throw AttacheError(
            .preconditionFailed, "The attachment changed: it now shows version \(current.number) (ETag \"\(current.file.sha256)\"), not the content If-Match names."
        )
    }

    /// Removes the earlier versions of attachments about to be deleted. - Returns: the files they named.
    mutating func removeVersions(of attachmentUUIDs: [UUID]) -> [Int64] {
        var files: [Int64] = []
        for uuid in attachmentUUIDs {
            files += (earlierVersions.removeValue(forKey: uuid) ?? []).map(\.fileID)
            currentVersionMade[uuid] = nil
        }
        return files
    }
}

/// Version retention.
extension InMemoryMetadataStore {
    package func pruneVersions(now: Date, limit: Int) throws -> Int {
        try transaction { tables in
            var removed = 0
            for tenant in tables.tenants.values.map(\.tenant).sorted(by: { $0.id < $1.id }) where !tenant.versionPolicy.keepsAll && removed < limit {
                let policy = tenant.versionPolicy
                let attachments = tables.attachments.values.filter { $0.tenantID == tenant.id }.sorted { $0.id < $1.id }
                for attachment in attachments where removed < limit {
                    let earlier = (tables.earlierVersions[attachment.uuid] ?? []).sorted { $0.number > $1.number }
                    for (index, row) in earlier.enumerated().reversed() where removed < limit {
                        let beyond = policy.keepLast.map { index + 1 >= $0 } ?? false
                        let old = policy.maximumAge.map { row.createdAt < now.addingTimeInterval(-$0) } ?? false
                        guard beyond || old else { continue }
                        tables.earlierVersions[attachment.uuid]?.removeAll { $0.number == row.number }
                        let file = tables.files[RowKey(tenantID: tenant.id, number: row.fileID)]
                        let record = tables.attachedFile(attachment)?.record.uuid
                        let reason = policy.reason(beyondKept: beyond)
                        let audit = AuditContext(actor: .system, time: now)
                        var events = [
                            audit.event(
                                .versionDelete, tenantID: tenant.id, recordUUID: record, fileID: file?.id, fileName: file?.name, attachmentUUID: attachment.uuid,
                                size: file?.size, detail: "version \(row.number): retention, \(reason)"
                            )
                        ]
                        if let gone = tables.deleteFileIfUnlinked(RowKey(tenantID: tenant.id, number: row.fileID), at: now) {
                            events.append(audit.event(.fileDelete, tenantID: tenant.id, recordUUID: record, fileID: gone.id, fileName: gone.name, size: gone.size))
                        }
                        try tables.writeAuditEvents(events)
                        removed += 1
                    }
                }
            }
            return removed
        }
    }
}
