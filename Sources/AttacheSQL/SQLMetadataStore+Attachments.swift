import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func attach(fileIDs: [Int64], tenantID: Int64, link: AttachmentLink, audit: AuditContext) async throws -> [AttachedFile] {
        let now = audit.time.millisecondsSince1970
        var seen: Set<Int64> = []
        let wanted = fileIDs.filter { seen.insert($0).inserted }
        let flavor = database.flavor
        return try await database.write { db in
            let record = try await Self.requireRecord(link.recordID, tenantID: tenantID, in: db)
            if let category = link.category { try await Self.requireCategory(category, tenantID: tenantID, in: db) }
            let found = try await db.raw("SELECT id, number, name FROM files WHERE tenant_id = \(bind: tenantID) AND number IN (\(binds: wanted))")
                .all().reduce(into: [Int64: (row: Int64, name: String)]()) { found, row in
                    found[try row.int64("number")] = (try row.int64("id"), try row.string("name"))
                }
            let missing = Set(wanted).subtracting(found.keys).sorted()
            guard missing.isEmpty else {
                throw AttacheError(
                    .notFound,
                    "There is no file " + missing.map(String.init).joined(separator: ", ") + ".",
                    field: "fileIds"
                )
            }
            var events: [AuditEvent] = []
            for fileID in wanted {
                guard let file = found[fileID] else { continue }
                let (attachment, created) = try await Self.insertAttachment(
                    file: RowKey(row: file.row, number: fileID), record: record.key, tenantID: tenantID, description: link.description, slot: nil,
                    labels: link, flavor: flavor, at: now, in: db
                )
                if created {
                    events.append(audit.event(
                        .attachmentCreate, tenantID: tenantID, recordUUID: record.uuid, fileID: fileID, fileName: file.name, attachmentUUID: attachment.uuid
                    ))
                }
            }
            try await Self.writeAuditEvents(events, in: db)
            let rows = try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.attachedFile) FROM \(unsafeRaw: SQLColumns.attachedFileJoin)
                WHERE a.tenant_id = \(bind: tenantID) AND a.record_id = \(bind: record.key.row) AND f.number IN (\(binds: wanted))
                """).all().map { try $0.attachedFile() }
            return fileIDs.compactMap { id in rows.first { $0.file.id == id } }
        }
    }

    public func attachment(tenantID: Int64, uuid: UUID) async throws -> AttachedFile? {
        try await database.read { db in
            try await Self.attachedFile(uuid: uuid, tenantID: tenantID, in: db)
        }
    }

    /// The record's row is found first, so the page is read from `attachments_by_record_number` in
    /// order (not by walking every attachment of the tenant until the record's are found).
    public func attachments(tenantID: Int64, recordID: Int64, page: PageRequest, labels: AttachmentLabelFilter) async throws -> Page<AttachedFile> {
        let afterID = page.afterID ?? 0
        var filter: SQLQueryString = ""
        if let category = labels.category { filter += " AND a.category = \(bind: category)" }
        if let tag = labels.tag { filter += " AND \(Self.hasTag(tag, flavor: database.flavor))" }
        let labelled = filter
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.attachedFile) FROM \(unsafeRaw: SQLColumns.attachedFileJoin)
                WHERE a.tenant_id = \(bind: tenantID)
                  AND a.record_id = (SELECT id FROM records WHERE tenant_id = \(bind: tenantID) AND number = \(bind: recordID))
                  AND a.number > \(bind: afterID)\(labelled)
                ORDER BY a.number LIMIT \(literal: page.limit + 1)
                """).all().map { try $0.attachedFile() }
        }
        return PageCursor.page(rows, limit: page.limit, id: \.attachment.id)
    }

    public func updateAttachment(tenantID: Int64, uuid: UUID, change: AttachmentChange, audit: AuditContext) async throws -> AttachedFile? {
        let now = audit.time.millisecondsSince1970
        let (description, fileName, recordID) = (change.description, change.fileName, change.recordID)
        return try await database.write { db in
            guard let current = try await Self.attachedFile(uuid: uuid, tenantID: tenantID, in: db) else { return nil }
            var labels: [SQLQueryString] = []
            if let category = change.category {
                if let category { try await Self.requireCategory(category, tenantID: tenantID, in: db) }
                labels.append("category = \(bind: category)")
            }
            if let tags = change.tags { labels.append("tags = \(bind: Self.tagsText(tags))") }
            if let expiresOn = change.expiresOn { labels.append("expires_on = \(bind: expiresOn?.millisecondsSince1970)") }
            if let legalHold = change.legalHold { labels.append("legal_hold = \(bind: legalHold ? 1 : 0)") }
            if !labels.isEmpty {
                try await db.raw("""
                    UPDATE attachments SET \(labels.joined(separator: ", ")), updated_at = \(bind: now)
                    WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: uuid.databaseText)
                    """).run()
            }
            if let description {
                try await db.raw("""
                    UPDATE attachments SET description = \(bind: description), updated_at = \(bind: now)
                    WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: uuid.databaseText)
                    """).run()
            }
            if let fileName {
                try await db.raw("""
                    UPDATE files SET name = \(bind: fileName), updated_at = \(bind: now)
                    WHERE tenant_id = \(bind: tenantID) AND number = \(bind: current.file.id)
                    """).run()
                try await db.raw("""
                    UPDATE attachments SET updated_at = \(bind: now) WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: uuid.databaseText)
                    """).run()
            }
            var moved: UUID?
            if let recordID, recordID != current.record.id {
                let target = try await Self.requireRecord(recordID, tenantID: tenantID, in: db)
                let taken = try await db.raw("""
                    SELECT a.id FROM attachments a JOIN files f ON f.id = a.file_id
                    WHERE a.record_id = \(bind: target.key.row) AND f.tenant_id = \(bind: tenantID) AND f.number = \(bind: current.file.id)
                    """).first()
                guard taken == nil else {
                    throw AttacheError(.conflict, "The record \(target.uuid.lowercasedText) has this file attached already.", field: "record")
                }
                try await db.raw("""
                    UPDATE attachments SET record_id = \(bind: target.key.row), updated_at = \(bind: now)
                    WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: uuid.databaseText)
                    """).run()
                moved = target.uuid
            }
            try await Self.writeAuditEvents(
                [
                    audit.event(
                        .attachmentUpdate, tenantID: tenantID, recordUUID: moved ?? current.record.uuid, fileID: current.file.id,
                        fileName: fileName ?? current.file.name, attachmentUUID: uuid,
                        detail: [
                            fileName.map { _ in "renamed from '\(current.file.name)'" },
                            moved.map { _ in "moved from record \(current.record.uuid.lowercasedText)" },
                            change.category.map { "category \($0 ?? "none")" },
                            change.tags.map { "tags \($0.joined(separator: ", "))" },
                            change.legalHold.map { $0 ? "legal hold on" : "legal hold off" },
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
            try await Self.removeAttachment(uuid: uuid, tenantID: tenantID, audit: audit, detail: nil, flavor: flavor, in: db)
        }
    }

    /// Deletes an attachment with its earlier versions, and the files nothing names any more, in the
    /// transaction `db` is in, audited with `detail`. - Returns: what was deleted; `nil` when it is gone.
    static func removeAttachment(
        uuid: UUID, tenantID: Int64, audit: AuditContext, detail: String?, flavor: SQLFlavor, in db: any SQLDatabase
    ) async throws -> AttachedFile? {
        guard let removed = try await Self.attachedFile(uuid: uuid, tenantID: tenantID, in: db) else { return nil }
        guard let attachmentRow = try await db.raw("""
            SELECT id FROM attachments WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: uuid.databaseText)
            """).first()?.int64("id")
        else { return nil }
        // Its earlier versions go with it.
        let versionFiles = try await Self.deleteVersions(ofAttachmentRows: [attachmentRow], in: db)
        guard let fileRowID = try await db.raw("""
            DELETE FROM attachments WHERE id = \(bind: attachmentRow) RETURNING file_id
            """).first()?.int64("file_id")
        else { return nil }
        var events = [
            audit.event(
                .attachmentDelete, tenantID: tenantID, recordUUID: removed.record.uuid, fileID: removed.file.id, fileName: removed.file.name,
                attachmentUUID: uuid, detail: detail
            )
        ]
        for fileRow in [fileRowID] + Set(versionFiles).subtracting([fileRowID]).sorted() {
            if let file = try await Self.deleteFileIfUnlinked(fileRow, tenantID: tenantID, flavor: flavor, in: db) {
                events.append(audit.event(.fileDelete, tenantID: tenantID, recordUUID: removed.record.uuid, fileID: file.id, fileName: file.name, size: file.size))
            }
        }
        try await Self.writeAuditEvents(events, in: db)
        return removed
    }

    static func attachedFile(uuid: UUID, tenantID: Int64, in db: any SQLDatabase) async throws -> AttachedFile? {
        try await db.raw("""
            SELECT \(unsafeRaw: SQLColumns.attachedFile) FROM \(unsafeRaw: SQLColumns.attachedFileJoin)
            WHERE a.tenant_id = \(bind: tenantID) AND a.uuid = \(bind: uuid.databaseText)
            """).first()?.attachedFile()
    }

    /// Links a file to a record; linking the same pair twice keeps the first link (and leaves a gap in
    /// the tenant's attachment numbers).
    /// - Returns: the link, and whether this call created it.
    static func insertAttachment(
        file: RowKey, record: RowKey, tenantID: Int64, description: String?, slot: AttachmentSlot?, labels: AttachmentLink, flavor: SQLFlavor,
        at now: Int64, in db: any SQLDatabase
    ) async throws -> (Attachment, created: Bool) {
        let number = try await flavor.nextNumber(in: .attachments, tenantID: tenantID, in: db)
        // A new link comes back from the insert; an existing one (no row returned) is read.
        let inserted = try await db.raw("""
            INSERT INTO attachments (number, uuid, tenant_id, record_id, file_id, description, field_id, field_entry, created_at, updated_at,
                                     category, tags)
            VALUES (\(bind: number), \(bind: UUID().databaseText), \(bind: tenantID), \(bind: record.row), \(bind: file.row), \(bind: description),
                    \(bind: slot?.fieldID), \(bind: slot?.entryKey), \(bind: now), \(bind: now), \(bind: labels.category),
                    \(bind: Self.tagsText(labels.tags)))
            ON CONFLICT (record_id, file_id) DO NOTHING
            RETURNING \(unsafeRaw: SQLColumns.attachment)
            """).first()
        var row = inserted
        if row == nil {
            row = try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.attachment) FROM attachments WHERE record_id = \(bind: record.row) AND file_id = \(bind: file.row)
                """).first()
        }
        guard let row else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO attachments") }
        return (try row.attachment(recordID: record.number, fileID: file.number), inserted != nil)
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
