import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func attach(fileIDs: [Int64], tenantID: Int64, link: AttachmentLink, audit: AuditContext) async throws -> [AttachedFile] {
        let now = audit.time.millisecondsSince1970
        var seen: Set<Int64> = []
        let wanted = fileIDs.filter { seen.insert($0).inserted }
        return try await database.write { db in
            let recordUUID = try await Self.requireRecord(link.recordID, tenantID: tenantID, in: db)
            let names = try await db.raw("SELECT id, name FROM files WHERE tenant_id = \(bind: tenantID) AND id IN (\(binds: wanted))")
                .all().reduce(into: [Int64: String]()) { names, row in names[try row.int64("id")] = try row.string("name") }
            let missing = Set(wanted).subtracting(names.keys).sorted()
            guard missing.isEmpty else {
                throw AttacheError(
                    .notFound,
                    "There is no file " + missing.map(String.init).joined(separator: ", ") + ".",
                    field: "fileIds"
                )
            }
            var events: [AuditEvent] = []
            for fileID in wanted {
                let (attachment, created) = try await Self.insertAttachment(fileID: fileID, tenantID: tenantID, link: link, slot: nil, at: now, in: db)
                if created {
                    events.append(audit.event(
                        .attachmentCreate, tenantID: tenantID, recordUUID: recordUUID, fileID: fileID, fileName: names[fileID], attachmentUUID: attachment.uuid
                    ))
                }
            }
            try await Self.writeAuditEvents(events, in: db)
            let rows = try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.attachedFile) FROM \(unsafeRaw: SQLColumns.attachedFileJoin)
                WHERE a.tenant_id = \(bind: tenantID) AND a.record_id = \(bind: link.recordID) AND a.file_id IN (\(binds: wanted))
                """).all().map { try $0.attachedFile() }
            return fileIDs.compactMap { id in rows.first { $0.file.id == id } }
        }
    }

    public func attachment(tenantID: Int64, uuid: UUID) async throws -> AttachedFile? {
        try await database.read { db in
            try await Self.attachedFile(uuid: uuid, tenantID: tenantID, in: db)
        }
    }

    public func attachments(tenantID: Int64, recordID: Int64, page: PageRequest) async throws -> Page<AttachedFile> {
        let afterID = page.afterID ?? 0
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.attachedFile) FROM \(unsafeRaw: SQLColumns.attachedFileJoin)
                WHERE a.tenant_id = \(bind: tenantID) AND a.record_id = \(bind: recordID) AND a.id > \(bind: afterID)
                ORDER BY a.id LIMIT \(literal: page.limit + 1)
                """).all().map { try $0.attachedFile() }
        }
        return PageCursor.page(rows, limit: page.limit, id: \.attachment.id)
    }

    public func updateAttachment(
        tenantID: Int64, uuid: UUID, description: String??, fileName: String?, recordID: Int64?, audit: AuditContext
    ) async throws -> AttachedFile? {
        let now = audit.time.millisecondsSince1970
        return try await database.write { db in
            guard let current = try await Self.attachedFile(uuid: uuid, tenantID: tenantID, in: db) else { return nil }
            if let description {
                try await db.raw("""
                    UPDATE attachments SET description = \(bind: description), updated_at = \(bind: now)
                    WHERE id = \(bind: current.attachment.id)
                    """).run()
            }
            if let fileName {
                try await db.raw("""
                    UPDATE files SET name = \(bind: fileName), updated_at = \(bind: now) WHERE id = \(bind: current.file.id)
                    """).run()
                try await db.raw("UPDATE attachments SET updated_at = \(bind: now) WHERE id = \(bind: current.attachment.id)").run()
            }
            var moved: UUID?
            if let recordID, recordID != current.record.id {
                let target = try await Self.requireRecord(recordID, tenantID: tenantID, in: db)
                let taken = try await db.raw("""
                    SELECT id FROM attachments WHERE record_id = \(bind: recordID) AND file_id = \(bind: current.file.id)
                    """).first()
                guard taken == nil else {
                    throw AttacheError(.conflict, "The record \(target.lowercasedText) has this file attached already.", field: "record")
                }
                try await db.raw("""
                    UPDATE attachments SET record_id = \(bind: recordID), updated_at = \(bind: now) WHERE id = \(bind: current.attachment.id)
                    """).run()
                moved = target
            }
            try await Self.writeAuditEvents(
                [
                    audit.event(
                        .attachmentUpdate, tenantID: tenantID, recordUUID: moved ?? current.record.uuid, fileID: current.file.id,
                        fileName: fileName ?? current.file.name, attachmentUUID: uuid,
                        detail: [
                            fileName.map { _ in "renamed from '\(current.file.name)'" },
                            moved.map { _ in "moved from record \(current.record.uuid.lowercasedText)" },
                        ].compactMap { $0 }.joined(separator: "; ").nilIfEmpty
                    )
                ],
                in: db
            )
            return try await Self.attachedFile(uuid: uuid, tenantID: tenantID, in: db)
        }
    }

    public func deleteAttachment(tenantID: Int64, uuid: UUID, audit: AuditContext) async throws -> AttachedFile? {
        let flavor = database.flavor
        return try await database.write { db in
            guard let removed = try await Self.attachedFile(uuid: uuid, tenantID: tenantID, in: db) else { return nil }
            try await db.raw("DELETE FROM attachments WHERE id = \(bind: removed.attachment.id)").run()
            var events = [
                audit.event(.attachmentDelete, tenantID: tenantID, recordUUID: removed.record.uuid, fileID: removed.file.id, fileName: removed.file.name, attachmentUUID: uuid)
            ]
            if let file = try await Self.deleteFileIfUnlinked(removed.file.id, tenantID: tenantID, flavor: flavor, in: db) {
                events.append(audit.event(.fileDelete, tenantID: tenantID, recordUUID: removed.record.uuid, fileID: file.id, fileName: file.name, size: file.size))
            }
            try await Self.writeAuditEvents(events, in: db)
            return removed
        }
    }

    static func attachedFile(uuid: UUID, tenantID: Int64, in db: any SQLDatabase) async throws -> AttachedFile? {
        try await db.raw("""
            SELECT \(unsafeRaw: SQLColumns.attachedFile) FROM \(unsafeRaw: SQLColumns.attachedFileJoin)
            WHERE a.tenant_id = \(bind: tenantID) AND a.uuid = \(bind: uuid.databaseText)
            """).first()?.attachedFile()
    }

    /// Links a file to a record; linking the same pair twice keeps the first link.
    /// - Returns: the link, and whether this call created it.
    static func insertAttachment(
        fileID: Int64, tenantID: Int64, link: AttachmentLink, slot: AttachmentSlot?, at now: Int64, in db: any SQLDatabase
    ) async throws -> (Attachment, created: Bool) {
        let uuid = UUID().databaseText
        // A new link comes back from the insert; an existing one (no row returned) is read.
        let inserted = try await db.raw("""
            INSERT INTO attachments (uuid, tenant_id, record_id, file_id, description, field_id, field_entry, created_at, updated_at)
            VALUES (\(bind: uuid), \(bind: tenantID), \(bind: link.recordID), \(bind: fileID), \(bind: link.description),
                    \(bind: slot?.fieldID), \(bind: slot?.entryKey), \(bind: now), \(bind: now))
            ON CONFLICT (record_id, file_id) DO NOTHING
            RETURNING \(unsafeRaw: SQLColumns.attachment)
            """).first()
        var row = inserted
        if row == nil {
            row = try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.attachment) FROM attachments
                WHERE record_id = \(bind: link.recordID) AND file_id = \(bind: fileID)
                """).first()
        }
        guard let attachment = try row?.attachment() else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO attachments") }
        return (attachment, inserted != nil)
    }

    public func attachments(tenantID: Int64, matching query: AttachmentQuery, offset: Int, limit: Int) async throws -> CountedPage<AttachedFile> {
        var filter: SQLQueryString = "a.tenant_id = \(bind: tenantID)"
        if !query.uuids.isEmpty {
            filter += " AND a.uuid IN (\(binds: query.uuids.map(\.databaseText)))"
        }
        if !query.recordUUIDs.isEmpty {
            filter += " AND r.uuid IN (\(binds: query.recordUUIDs.map(\.databaseText)))"
        }
        if !query.recordTypes.isEmpty {
            filter += " AND r.type IN (\(binds: query.recordTypes.map(\.rawValue)))"
        }
        let condition = filter
        return try await database.read { db in
            let total = try await db.raw("SELECT COUNT(*) AS total FROM \(unsafeRaw: SQLColumns.attachedFileJoin) WHERE \(condition)")
                .first()?.int64("total") ?? 0
            let items = try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.attachedFile) FROM \(unsafeRaw: SQLColumns.attachedFileJoin)
                WHERE \(condition) ORDER BY a.id LIMIT \(literal: limit) OFFSET \(bind: offset)
                """).all().map { try $0.attachedFile() }
            return CountedPage(items: items, total: Int(total))
        }
    }
}

extension String {
    /// `nil` for an empty string.
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
