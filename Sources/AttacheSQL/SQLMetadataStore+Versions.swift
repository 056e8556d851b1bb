import AttacheCore
import Foundation
import SQLKit

/// ``VersionStore``: the current version on the attachment's row (`version`, `version_author`,
/// `version_at`), earlier ones in `attachment_versions`.
extension SQLMetadataStore {
    public func attachmentVersions(tenantID: Int64, attachmentUUID: UUID) async throws -> [AttachmentVersion]? {
        try await database.read { db in
            guard let current = try await Self.currentVersion(tenantID: tenantID, attachmentUUID: attachmentUUID, locking: false, in: db) else {
                return nil
            }
            let earlier = try await db.raw("""
                SELECT v.number AS v_number, v.author AS v_author, v.created_at AS v_created_at, \(unsafeRaw: SQLColumns.prefixedFile)
                FROM attachment_versions v JOIN files f ON f.id = v.file_id
                WHERE v.attachment_id = \(bind: current.rowID) ORDER BY v.number DESC
                """).all().map { row in
                AttachmentVersion(
                    number: try row.int64("v_number"), file: try row.storedFile(.file), author: try row.optionalString("v_author"),
                    createdAt: try row.date("v_created_at"), isCurrent: false
                )
            }
            return [current.version] + earlier
        }
    }

    public func restoreAttachmentVersion(
        tenantID: Int64, attachmentUUID: UUID, number: Int64, expectedSHA256: String?, audit: AuditContext
    ) async throws -> AttachedFile? {
        try await database.write { db in
            guard let current = try await Self.currentVersion(tenantID: tenantID, attachmentUUID: attachmentUUID, locking: true, in: db) else {
                return nil
            }
            try Self.check(current, expectedSHA256: expectedSHA256)
            let file: (row: Int64, number: Int64)
            if number == current.version.number {
                file = (current.fileRowID, current.version.file.id)
            } else {
                guard let earlier = try await db.raw("""
                    SELECT v.file_id, f.number FROM attachment_versions v JOIN files f ON f.id = v.file_id
                    WHERE v.attachment_id = \(bind: current.rowID) AND v.number = \(bind: number)
                    """).first()
                else {
                    throw AttacheError(.notFound, "Attachment \(attachmentUUID.lowercasedText) has no version \(number).")
                }
                file = (try earlier.int64("file_id"), try earlier.int64("number"))
            }
            let made = try await Self.makeCurrent(fileRow: file.row, of: current, author: audit.actor.text, at: audit.time, in: db)
            guard let attached = try await Self.attachedFile(uuid: attachmentUUID, tenantID: tenantID, in: db) else { return nil }
            try await Self.writeAuditEvents([
                audit.event(
                    .versionRestore, tenantID: tenantID, recordUUID: attached.record.uuid, fileID: file.number, fileName: attached.file.name,
                    attachmentUUID: attachmentUUID, size: attached.file.size, detail: "version \(number) restored as version \(made)"
                )
            ], in: db)
            return attached
        }
    }

    public func deleteAttachmentVersion(tenantID: Int64, attachmentUUID: UUID, number: Int64, audit: AuditContext) async throws -> AttachmentVersion? {
        let flavor = database.flavor
        return try await database.write { db in
            guard let current = try await Self.currentVersion(tenantID: tenantID, attachmentUUID: attachmentUUID, locking: true, in: db) else {
                return nil
            }
            guard number != current.version.number else {
                throw AttacheError(.conflict, "Version \(number) is the attachment's current version; restore another first, or delete the attachment.")
            }
            guard let row = try await db.raw("""
                DELETE FROM attachment_versions WHERE attachment_id = \(bind: current.rowID) AND number = \(bind: number)
                RETURNING file_id, author, created_at
                """).first()
            else { return nil }
            let fileRow = try row.int64("file_id")
            guard let file = try await db.raw("SELECT \(unsafeRaw: SQLColumns.file) FROM files WHERE id = \(bind: fileRow)").first()?.storedFile() else {
                throw SQLStoreError.missingReturnedRow(statement: "a version's file")
            }
            let recordUUID = current.recordUUID
            var events = [
                audit.event(
                    .versionDelete, tenantID: tenantID, recordUUID: recordUUID, fileID: file.id, fileName: file.name, attachmentUUID: attachmentUUID,
                    size: file.size, detail: "version \(number)"
                )
            ]
            if let removed = try await Self.deleteFileIfUnlinked(fileRow, tenantID: tenantID, flavor: flavor, in: db) {
                events.append(audit.event(.fileDelete, tenantID: tenantID, recordUUID: recordUUID, fileID: removed.id, fileName: removed.name, size: removed.size))
            }
            try await Self.writeAuditEvents(events, in: db)
            return AttachmentVersion(
                number: number, file: file, author: try row.optionalString("author"), createdAt: try row.date("created_at"), isCurrent: false
            )
        }
    }

    /// Makes a stored file the new version of an attachment, in the insert's transaction: the
    /// attachment must still show the precondition's content. - Returns: the version's number.
    /// - Throws: `notFound` when the attachment is gone; `preconditionFailed` when it shows other content.
    static func makeVersion(
        _ precondition: VersionPrecondition, fileRow: Int64, slot: AttachmentSlot?, tenantID: Int64, author: String, at time: Date, in db: any SQLDatabase
    ) async throws -> Int64 {
        guard let current = try await currentVersion(tenantID: tenantID, attachmentUUID: precondition.attachmentUUID, locking: true, in: db) else {
            throw AttacheError(.notFound, "There is no attachment \(precondition.attachmentUUID.lowercasedText).")
        }
        try check(current, expectedSHA256: precondition.currentSHA256)
        let number = try await makeCurrent(fileRow: fileRow, of: current, author: author, at: time, in: db)
        if let slot {
            // A custom field's file sent again under another entry: the attachment takes the entry it came in.
            try await db.raw("""
                UPDATE attachments SET field_id = \(bind: slot.fieldID), field_entry = \(bind: slot.entryKey) WHERE id = \(bind: current.rowID)
                """).run()
        }
        return number
    }

    /// The versions' rows of attachments about to be deleted go first. - Returns: the file rows they
    /// named, for the caller to delete once nothing else names them.
    static func deleteVersions(ofAttachmentRows rows: [Int64], in db: any SQLDatabase) async throws -> [Int64] {
        guard !rows.isEmpty else { return [] }
        return try await db.raw("DELETE FROM attachment_versions WHERE attachment_id IN (\(binds: rows)) RETURNING file_id").all().map { try $0.int64("file_id") }
    }

    /// The attachment's current version, read with its row (held until the transaction ends when `locking`).
    private static func currentVersion(tenantID: Int64, attachmentUUID: UUID, locking: Bool, in db: any SQLDatabase) async throws -> CurrentVersion? {
        if locking, SQLFlavor(of: db) == .postgres {
            // The row alone, then the join in a statement of its own: a join locked with FOR UPDATE
            // re-checks a row another transaction changed against the other tables' rows it read
            // before the wait, so an attachment whose file changed meanwhile would not be found.
            try await db.raw("""
                SELECT id FROM attachments WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: attachmentUUID.databaseText) FOR UPDATE
                """).run()
        }
        guard let row = try await db.raw("""
            SELECT a.id AS a_row, a.file_id AS a_file_row, a.version AS a_version, a.version_author AS a_version_author,
                   COALESCE(a.version_at, a.created_at) AS a_version_at, r.uuid AS r_uuid, \(unsafeRaw: SQLColumns.prefixedFile)
            FROM attachments a JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id
            WHERE a.tenant_id = \(bind: tenantID) AND a.uuid = \(bind: attachmentUUID.databaseText)
            """).first()
        else { return nil }
        return CurrentVersion(
            rowID: try row.int64("a_row"), fileRowID: try row.int64("a_file_row"), recordUUID: try row.uuid("r_uuid"),
            version: AttachmentVersion(
                number: try row.int64("a_version"), file: try row.storedFile(.file), author: try row.optionalString("a_version_author"),
                createdAt: try row.date("a_version_at"), isCurrent: true
            )
        )
    }

    /// Keeps the current version as an earlier one and makes `fileRow` current, numbered one past it.
    private static func makeCurrent(fileRow: Int64, of current: CurrentVersion, author: String, at time: Date, in db: any SQLDatabase) async throws -> Int64 {
        let tenantID = current.version.file.tenantID
        try await db.raw("""
            INSERT INTO attachment_versions (attachment_id, number, tenant_id, file_id, author, created_at)
            VALUES (\(bind: current.rowID), \(bind: current.version.number), \(bind: tenantID), \(bind: current.fileRowID),
                    \(bind: current.version.author), \(bind: current.version.createdAt.millisecondsSince1970))
            """).run()
        let next = current.version.number + 1
        let at = time.millisecondsSince1970
        try await db.raw("""
            UPDATE attachments SET file_id = \(bind: fileRow), version = \(bind: next), version_author = \(bind: author), version_at = \(bind: at),
                updated_at = \(bind: at)
            WHERE id = \(bind: current.rowID)
            """).run()
        return next
    }

    private static func check(_ current: CurrentVersion, expectedSHA256: String?) throws(AttacheError) {
        guard let expectedSHA256, expectedSHA256 != current.version.file.sha256 else { return }
        throw AttacheError(
            .preconditionFailed,
            "The attachment changed: it now shows version \(current.version.number) (ETag \"\(current.version.file.sha256)\"), not the content If-Match names."
        )
    }

    /// An attachment's current version as a transaction reads it.
    private struct CurrentVersion {
        var rowID: Int64
        var fileRowID: Int64
        var recordUUID: UUID
        var version: AttachmentVersion
    }
}

/// Version retention (``TenantVersionPolicy``), run by `gc`.
extension SQLMetadataStore {
    public func pruneVersions(now: Date, limit: Int) async throws -> Int {
        let flavor = database.flavor
        return try await database.write { db in
            let tenants = try await db.raw("""
                SELECT id, versions_keep, versions_max_age FROM tenants WHERE versions_keep IS NOT NULL OR versions_max_age IS NOT NULL ORDER BY id
                """).all()
            var removed = 0
            for tenant in tenants where removed < limit {
                let tenantID = try tenant.int64("id")
                let keep = try tenant.optionalInt64("versions_keep")
                let maximumAge = try tenant.optionalInt64("versions_max_age")
                let cutoff = maximumAge.map { now.millisecondsSince1970 - $0 * 1000 }
                // Earlier versions ranked newest first per attachment: with the current one counted,
                // `keep` versions keep ranks 1 to keep − 1.
                let expired = try await db.raw("""
                    SELECT attachment_id, number, created_at, place FROM (
                        SELECT attachment_id, number, created_at,
                               ROW_NUMBER() OVER (PARTITION BY attachment_id ORDER BY number DESC) AS place
                        FROM attachment_versions WHERE tenant_id = \(bind: tenantID)) ranked
                    WHERE place >= \(bind: keep ?? Int64.max) OR created_at < \(bind: cutoff ?? Int64.min)
                    ORDER BY attachment_id, number LIMIT \(literal: limit - removed)
                    """).all()
                for row in expired {
                    let number = try row.int64("number")
                    let place = try row.int64("place")
                    let policy = TenantVersionPolicy(keepLast: keep.map { Int($0) }, maximumAge: maximumAge.map { Double($0) })
                    let reason = policy.reason(beyondKept: keep.map { place >= $0 } == true)
                    try await Self.pruneVersion(
                        attachmentRow: try row.int64("attachment_id"), number: number, tenantID: tenantID, reason: reason, now: now, flavor: flavor, in: db
                    )
                    removed += 1
                }
            }
            return removed
        }
    }

    /// Deletes one earlier version for retention, audited by the system with its rule.
    private static func pruneVersion(
        attachmentRow: Int64, number: Int64, tenantID: Int64, reason: String, now: Date, flavor: SQLFlavor, in db: any SQLDatabase
    ) async throws {
        guard let row = try await db.raw("""
            DELETE FROM attachment_versions WHERE attachment_id = \(bind: attachmentRow) AND number = \(bind: number) RETURNING file_id
            """).first(),
            let owner = try await db.raw("""
                SELECT a.uuid AS attachment_uuid, r.uuid AS record_uuid FROM attachments a JOIN records r ON r.id = a.record_id WHERE a.id = \(bind: attachmentRow)
                """).first()
        else { return }
        let fileRow = try row.int64("file_id")
        let (attachmentUUID, recordUUID) = (try owner.uuid("attachment_uuid"), try owner.uuid("record_uuid"))
        let file = try await db.raw("SELECT \(unsafeRaw: SQLColumns.file) FROM files WHERE id = \(bind: fileRow)").first()?.storedFile()
        let audit = AuditContext(actor: .system, time: now)
        var events = [
            audit.event(
                .versionDelete, tenantID: tenantID, recordUUID: recordUUID, fileID: file?.id, fileName: file?.name, attachmentUUID: attachmentUUID,
                size: file?.size, detail: "version \(number): retention, \(reason)"
            )
        ]
        if let removed = try await deleteFileIfUnlinked(fileRow, tenantID: tenantID, flavor: flavor, in: db) {
            events.append(audit.event(.fileDelete, tenantID: tenantID, recordUUID: recordUUID, fileID: removed.id, fileName: removed.name, size: removed.size))
        }
        try await writeAuditEvents(events, in: db)
    }
}
