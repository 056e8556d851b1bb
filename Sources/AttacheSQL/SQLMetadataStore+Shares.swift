import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    static let shareColumns = """
        id, tenant_id, kind, record_uuid, attachment_uuid, password_hash, label, expires_at, max_downloads, downloads, max_files, max_bytes,
        files_received, bytes_received, created_at, updated_at, revoked_at
        """

    public func createShare(_ share: Share, tokenHash: String, passwordHash: String?, audit: AuditContext) async throws -> Share {
        try await database.write { db in
            let row = try await db.raw("""
                INSERT INTO shares (id, tenant_id, kind, record_uuid, attachment_uuid, token_hash, password_hash, label, expires_at,
                                    max_downloads, downloads, max_files, max_bytes, files_received, bytes_received, created_at, updated_at)
                VALUES (\(bind: share.id.databaseText), \(bind: share.tenantID), \(bind: share.kind.rawValue), \(bind: share.recordUUID.databaseText),
                        \(bind: share.attachmentUUID?.databaseText), \(bind: tokenHash), \(bind: passwordHash), \(bind: share.label),
                        \(bind: share.expiresAt?.millisecondsSince1970), \(bind: share.maxDownloads), 0, \(bind: share.maxFiles), \(bind: share.maxBytes),
                        0, 0, \(bind: share.createdAt.millisecondsSince1970), \(bind: share.createdAt.millisecondsSince1970))
                RETURNING \(unsafeRaw: Self.shareColumns)
                """).first()
            guard let stored = try row?.share() else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO shares") }
            try await Self.writeAuditEvents([audit.event(.shareCreate, share: stored)], in: db)
            return stored
        }
    }

    public func shares(tenantID: Int64, recordUUID: UUID?, attachmentUUID: UUID?, page: NewestFirstPageRequest) async throws -> Page<Share> {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: Self.shareColumns) FROM shares WHERE tenant_id = \(bind: tenantID)"
        if let recordUUID { sql += " AND record_uuid = \(bind: recordUUID.databaseText)" }
        if let attachmentUUID { sql += " AND attachment_uuid = \(bind: attachmentUUID.databaseText)" }
        sql += page.keysetClause
        let statement = sql
        let rows = try await database.read { db in
            try await db.raw(statement).all().map { try $0.share() }
        }
        return page.page(rows) { .init(time: $0.createdAt, id: $0.id) }
    }

    public func share(tenantID: Int64, id: UUID) async throws -> Share? {
        try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.shareColumns) FROM shares WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id.databaseText)
                """).first()?.share()
        }
    }

    public func share(tokenHash: String) async throws -> (Share, passwordHash: String?)? {
        try await database.read { db in
            guard let row = try await db.raw("SELECT \(unsafeRaw: Self.shareColumns) FROM shares WHERE token_hash = \(bind: tokenHash)").first()
            else { return nil }
            return (try row.share(), try row.optionalString("password_hash"))
        }
    }

    public func updateShare(tenantID: Int64, id: UUID, change: ShareChange, audit: AuditContext) async throws -> Share? {
        var assignments: [SQLQueryString] = ["updated_at = \(bind: audit.time.millisecondsSince1970)"]
        if let label = change.label { assignments.append("label = \(bind: label)") }
        if let expiresAt = change.expiresAt { assignments.append("expires_at = \(bind: expiresAt?.millisecondsSince1970)") }
        if let maxDownloads = change.maxDownloads { assignments.append("max_downloads = \(bind: maxDownloads)") }
        if let maxFiles = change.maxFiles { assignments.append("max_files = \(bind: maxFiles)") }
        if let maxBytes = change.maxBytes { assignments.append("max_bytes = \(bind: maxBytes)") }
        if let passwordHash = change.passwordHash { assignments.append("password_hash = \(bind: passwordHash)") }
        let statement: SQLQueryString = """
            UPDATE shares SET \(assignments.joined(separator: ", "))
            WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id.databaseText) AND revoked_at IS NULL
            RETURNING \(unsafeRaw: Self.shareColumns)
            """
        return try await database.write { db in
            guard let share = try await db.raw(statement).first()?.share() else { return nil }
            try await Self.writeAuditEvents([audit.event(.shareUpdate, share: share)], in: db)
            return share
        }
    }

    public func revokeShare(tenantID: Int64, id: UUID, audit: AuditContext) async throws -> Share? {
        try await database.write { db in
            guard let share = try await db.raw("""
                UPDATE shares SET revoked_at = \(bind: audit.time.millisecondsSince1970), updated_at = \(bind: audit.time.millisecondsSince1970)
                WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id.databaseText) AND revoked_at IS NULL
                RETURNING \(unsafeRaw: Self.shareColumns)
                """).first()?.share()
            else { return nil }
            try await Self.writeAuditEvents([audit.event(.shareRevoke, share: share)], in: db)
            return share
        }
    }

    public func countShareDownload(id: UUID, now: Date) async throws -> Share? {
        let time = now.millisecondsSince1970
        return try await database.write { db in
            try await db.raw("""
                UPDATE shares SET downloads = downloads + 1
                WHERE id = \(bind: id.databaseText) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(bind: time))
                  AND kind = 'download' AND (max_downloads IS NULL OR downloads < max_downloads)
                RETURNING \(unsafeRaw: Self.shareColumns)
                """).first()?.share()
        }
    }

    /// Counts files arriving through a drop link, in the transaction that stores them: one statement
    /// that adds them only while the link is live and within its limits, so racing uploads can never
    /// pass a limit together. - Throws: ``Share/dropRefusal(files:bytes:at:)`` when it adds nothing.
    static func countDrop(_ id: UUID, files: Int64, bytes: Int64, at time: Int64, in db: any SQLDatabase) async throws {
        let counted = try await db.raw("""
            UPDATE shares SET files_received = files_received + \(bind: files), bytes_received = bytes_received + \(bind: bytes)
            WHERE id = \(bind: id.databaseText) AND kind = 'upload' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(bind: time))
              AND (max_files IS NULL OR files_received + \(bind: files) <= max_files)
              AND (max_bytes IS NULL OR bytes_received + \(bind: bytes) <= max_bytes)
            RETURNING id
            """).first()
        guard counted == nil else { return }
        let current = try await db.raw("SELECT \(unsafeRaw: shareColumns) FROM shares WHERE id = \(bind: id.databaseText)").first()?.share()
        throw Share.dropRefusal(current, files: files, bytes: bytes, at: Date(millisecondsSince1970: time))
    }
}

extension SQLRow {
    func share() throws -> Share {
        let record = try uuid("record_uuid")
        let attachment = try optionalString("attachment_uuid").flatMap(UUID.init(text:))
        // A kind this version does not know is never read as a download share.
        guard let kind = Share.Kind(rawValue: try string("kind")) else { throw SQLStoreError.corruptRow(column: "kind") }
        return Share(
            id: try uuid("id"),
            tenantID: try int64("tenant_id"),
            kind: kind,
            target: attachment.map(Share.Target.attachment) ?? .record(record),
            recordUUID: record,
            label: try optionalString("label"),
            expiresAt: try optionalDate("expires_at"),
            maxDownloads: try optionalInt64("max_downloads"),
            downloads: try int64("downloads"),
            maxFiles: try optionalInt64("max_files"),
            maxBytes: try optionalInt64("max_bytes"),
            filesReceived: try int64("files_received"),
            bytesReceived: try int64("bytes_received"),
            hasPassword: try optionalString("password_hash") != nil,
            createdAt: try date("created_at"),
            updatedAt: try date("updated_at"),
            revokedAt: try optionalDate("revoked_at")
        )
    }
}
