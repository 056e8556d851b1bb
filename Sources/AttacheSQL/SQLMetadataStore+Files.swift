import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func insertFiles(
        _ files: [NewFile],
        tenantID: Int64,
        link: AttachmentLink?,
        claims: [BlobAddress: BlobClaim],
        completing resumableUploadID: UUID?,
        audit: AuditContext
    ) async throws -> [(StoredFile, Attachment?)] {
        let now = audit.time.millisecondsSince1970
        let flavor = database.flavor
        return try await database.write { db in
            var record: (key: RowKey, uuid: UUID)?
            if let link {
                record = try await Self.requireRecord(link.recordID, tenantID: tenantID, in: db)
                if let category = link.category { try await Self.requireCategory(category, tenantID: tenantID, in: db) }
            }
            let needed = Set(files.map { BlobAddress(tenantID: tenantID, sha256: $0.sha256) })
            guard needed.isSubset(of: claims.keys) else {
                throw SQLStoreError.unclaimedContent
            }
            if let link, link.newVersions.count > files.count {
                throw AttacheError(.invalidInput, "\(link.newVersions.count) new versions were named for \(files.count) file(s).", field: "file")
            }
            // The checksum goes in with the confirmation: a second UPDATE of a row this transaction
            // already changed makes PostgreSQL check its foreign key again (a KEY SHARE lock on the
            // tenant), which deadlocked against the quota check's FOR UPDATE of concurrent uploads.
            let checksums = files.reduce(into: [BlobAddress: UInt32]()) { found, file in
                if let crc32 = file.crc32 { found[BlobAddress(tenantID: tenantID, sha256: file.sha256)] = crc32 }
            }
            try await Self.confirmClaims(claims.filter { needed.contains($0.key) }, checksums: checksums, flavor: flavor, in: db)
            var stored: [(StoredFile, Attachment?)] = []
            var events: [AuditEvent] = []
            for (index, new) in files.enumerated() {
                let number = try await flavor.nextNumber(in: .files, tenantID: tenantID, in: db)
                let fileRow = try await db.raw("""
                    INSERT INTO files (number, uuid, tenant_id, name, size, mime_type, kind, sha256, created_at, updated_at, scan_state)
                    VALUES (\(bind: number), \(bind: new.uuid.databaseText), \(bind: tenantID), \(bind: new.name), \(bind: new.size),
                            \(bind: new.mimeType), \(bind: new.kind.rawValue), \(bind: new.sha256), \(bind: now), \(bind: now),
                            \(bind: new.scanned ? "clean" : nil))
                    RETURNING \(unsafeRaw: SQLColumns.file), id AS row_id
                    """).first()
                guard let fileRow else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO files") }
                let file = try fileRow.storedFile()
                // Derived work on new content is queued with it, so no crash can lose it.
                try await Self.queueDerivations(
                    BlobAddress(tenantID: tenantID, sha256: new.sha256), mimeType: new.mimeType, again: false, at: now, in: db
                )
                var attachment: Attachment?
                let fileKey = RowKey(row: try fileRow.int64("row_id"), number: file.id)
                if let link, index < link.newVersions.count, let precondition = link.newVersions[index], let record {
                    let slot = index < link.slots.count ? link.slots[index] : nil
                    let version = try await Self.makeVersion(
                        precondition, fileRow: fileKey.row, slot: slot, tenantID: tenantID, author: audit.actor.text, at: audit.time, in: db
                    )
                    guard let attached = try await Self.attachedFile(uuid: precondition.attachmentUUID, tenantID: tenantID, in: db) else {
                        throw SQLStoreError.missingReturnedRow(statement: "the attachment of a new version")
                    }
                    stored.append((file, attached.attachment))
                    // The file is stored in the record (no new attachment), and the attachment has a new version.
                    events += [
                        audit.event(.fileUpload, tenantID: tenantID, recordUUID: record.uuid, fileID: file.id, fileName: file.name, size: file.size),
                        audit.event(
                            .versionCreate, tenantID: tenantID, recordUUID: record.uuid, fileID: file.id, fileName: file.name,
                            attachmentUUID: precondition.attachmentUUID, size: file.size, detail: "version \(version)"
                        ),
                    ]
                    continue
                }
                if let link, let record {
                    let slot = index < link.slots.count ? link.slots[index] : nil
                    attachment = try await Self.insertAttachment(
                        file: fileKey, record: record.key, tenantID: tenantID,
                        description: link.description, slot: slot, labels: link, flavor: flavor, at: now, in: db
                    ).0
                }
                stored.append((file, attachment))
                events.append(
                    audit.event(
                        .fileUpload, tenantID: tenantID, recordUUID: record?.uuid, fileID: file.id, fileName: file.name, attachmentUUID: attachment?.uuid,
                        size: file.size
                    )
                )
            }
            if let resumableUploadID, let (file, attachment) = stored.first {
                try await Self.completeResumableUpload(resumableUploadID, tenantID: tenantID, file: file, attachment: attachment, in: db)
            }
            if let drop = link?.dropShare {
                // Before the quota's tenant lock, as every upload takes its locks: the drop link's row, then the tenant's.
                try await Self.countDrop(drop, files: Int64(files.count), bytes: files.reduce(0) { $0 + $1.size }, at: now, in: db)
            }
            try await Self.enforceQuota(tenantID: tenantID, flavor: flavor, in: db)
            try await Self.writeAuditEvents(events, in: db)
            return stored
        }
    }

    public func file(tenantID: Int64, id: Int64) async throws -> StoredFile? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.file) FROM files WHERE tenant_id = \(bind: tenantID) AND number = \(bind: id)")
                .first()?.storedFile()
        }
    }

    public func files(tenantID: Int64, ids: [Int64]) async throws -> [StoredFile] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.file) FROM files WHERE tenant_id = \(bind: tenantID) AND number IN (\(binds: ids)) ORDER BY number
                """).all().map { try $0.storedFile() }
        }
    }

    public func files(tenantID: Int64, unlinkedOnly: Bool, page: PageRequest) async throws -> Page<StoredFile> {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: SQLColumns.file) FROM files WHERE tenant_id = \(bind: tenantID)"
        if unlinkedOnly {
            sql += """
                 AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.file_id = files.id)
                 AND NOT EXISTS (SELECT 1 FROM attachment_versions v WHERE v.file_id = files.id)
                """
        }
        sql += page.keysetClause(on: "number")
        let statement = sql
        let rows = try await database.read { db in
            try await db.raw(statement).all().map { try $0.storedFile() }
        }
        return PageCursor.page(rows, limit: page.limit, id: \.id)
    }

    public func deleteFile(tenantID: Int64, id: Int64, audit: AuditContext) async throws -> StoredFile? {
        let flavor = database.flavor
        return try await database.write { db in
            guard let row = try await db.raw("SELECT id FROM files WHERE tenant_id = \(bind: tenantID) AND number = \(bind: id)").first()
            else { return nil }
            let rowID = try row.int64("id")
            // The file goes from every version that names it, and every attachment that shows it goes
            // with its own earlier versions (whose files go too when nothing else names them).
            try await db.raw("DELETE FROM attachment_versions WHERE file_id = \(bind: rowID)").run()
            let attachments = try await db.raw("SELECT id FROM attachments WHERE tenant_id = \(bind: tenantID) AND file_id = \(bind: rowID)")
                .all().map { try $0.int64("id") }
            let versionFiles = try await Self.deleteVersions(ofAttachmentRows: attachments, in: db)
            try await db.raw("DELETE FROM attachments WHERE tenant_id = \(bind: tenantID) AND file_id = \(bind: rowID)").run()
            guard let file = try await Self.deleteFileRow(rowID, tenantID: tenantID, flavor: flavor, in: db) else { return nil }
            var events = [audit.event(.fileDelete, tenantID: tenantID, fileID: file.id, fileName: file.name, size: file.size)]
            for versionFile in Set(versionFiles) where versionFile != rowID {
                if let removed = try await Self.deleteFileIfUnlinked(versionFile, tenantID: tenantID, flavor: flavor, in: db) {
                    events.append(audit.event(.fileDelete, tenantID: tenantID, fileID: removed.id, fileName: removed.name, size: removed.size))
                }
            }
            try await Self.writeAuditEvents(events, in: db)
            return file
        }
    }

    /// The tenant's record numbered `recordID`. - Throws: `notFound`.
    static func requireRecord(_ recordID: Int64, tenantID: Int64, in db: any SQLDatabase) async throws -> (key: RowKey, uuid: UUID) {
        let found = try await db.raw("SELECT id, uuid FROM records WHERE tenant_id = \(bind: tenantID) AND number = \(bind: recordID)").first()
        guard let found else { throw AttacheError(.notFound, "There is no record \(recordID).") }
        return (RowKey(row: try found.int64("id"), number: recordID), try found.uuid("uuid"))
    }

    public func filesHolding(_ address: BlobAddress) async throws -> [FileLinks] {
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT f.number AS id, f.name, a.uuid AS attachment_uuid, r.uuid AS record_uuid
                FROM files f LEFT JOIN attachments a ON a.file_id = f.id LEFT JOIN records r ON r.id = a.record_id
                WHERE f.tenant_id = \(bind: address.tenantID) AND f.sha256 = \(bind: address.sha256) ORDER BY f.id, a.id
                """).all()
        }
        var files: [FileLinks] = []
        for row in rows {
            let id = try row.int64("id")
            if files.last?.fileID != id { files.append(FileLinks(fileID: id, name: try row.string("name"))) }
            if let attachment = try row.optionalString("attachment_uuid").flatMap(UUID.init(text:)),
                let record = try row.optionalString("record_uuid").flatMap(UUID.init(text:))
            {
                files[files.count - 1].attachments.append(FileLinks.Link(attachmentUUID: attachment, recordUUID: record))
            }
        }
        return files
    }

    public func clearDamage(of address: BlobAddress) async throws -> Int {
        let at = Date().millisecondsSince1970
        return try await database.write { db in
            let cleared = try await db.raw("""
                UPDATE files SET scan_state = NULL, scan_signature = NULL
                WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) AND scan_state = 'damaged' RETURNING number
                """).all().count
            if cleared > 0 {
                try await db.raw("""
                    UPDATE derivation_jobs SET state = 'queued', attempts = 0, run_after = \(bind: at), reason = NULL, finished_at = NULL
                    WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)
                    AND state = 'failed' AND reason = \(bind: DerivationFailure.quarantined.reason)
                    """).run()
            }
            return cleared
        }
    }

    public func setScanStatus(_ status: ScanStatus, of address: BlobAddress, audit: AuditContext) async throws -> Int {
        let (state, signature): (String?, String?) = switch status {
        case .unscanned: (nil, nil)
        case .clean: ("clean", nil)
        case .infected(let found): ("infected", found)
        case .damaged(let reason): ("damaged", reason)
        }
        return try await database.write { db in
            let files = try await db.raw("""
                UPDATE files SET scan_state = \(bind: state), scan_signature = \(bind: signature)
                WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) RETURNING number AS id, name, size
                """).all()
            let found = status.quarantineDetail
            if let found {
                let events = try files.map { row in
                    audit.event(
                        .fileQuarantine, tenantID: address.tenantID, fileID: try row.int64("id"), fileName: try row.string("name"), size: try row.int64("size"),
                        detail: found
                    )
                }
                try await Self.writeAuditEvents(events, in: db)
                // No tool is handed quarantined content: its work ends here (a node working it now
                // cannot end the job any more, and its result is dropped).
                try await db.raw("""
                    UPDATE derivation_jobs SET state = 'failed', reason = \(bind: DerivationFailure.quarantined.reason),
                                               holder = NULL, lease_end = NULL, finished_at = \(bind: audit.time.millisecondsSince1970)
                    WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) AND state IN ('queued', 'running')
                    """).run()
            }
            return files.count
        }
    }
}
