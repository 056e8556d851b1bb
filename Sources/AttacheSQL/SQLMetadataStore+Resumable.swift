import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    static let resumableColumns = """
        id, tenant_id, length, received, metadata, file_name, description, record_uuid, concat, created_at, expires_at, state,
        file_id, attachment_uuid, failure, drop_share, version_of, version_sha256, category, tags
        """

    public func createResumableUpload(
        _ new: NewResumableUpload, id: UUID, tenantID: Int64, createdAt: Date, expiresAt: Date
    ) async throws -> ResumableUpload {
        // A final concatenation has its parts' bytes from the start.
        let received: Int64 = if case .final = new.concatenation { new.length ?? 0 } else { 0 }
        return try await database.write { db in
            let row = try await db.raw("""
                INSERT INTO resumable_uploads
                    (id, tenant_id, length, received, metadata, file_name, description, record_uuid, concat, created_at, expires_at, state,
                     drop_share, version_of, version_sha256, category, tags)
                VALUES (\(bind: id.databaseText), \(bind: tenantID), \(bind: new.length), \(bind: received), \(bind: new.metadata),
                        \(bind: new.fileName), \(bind: new.description), \(bind: new.recordUUID?.databaseText),
                        \(bind: Self.concatText(new.concatenation)), \(bind: createdAt.millisecondsSince1970),
                        \(bind: expiresAt.millisecondsSince1970), 'receiving', \(bind: new.dropShare?.databaseText),
                        \(bind: new.newVersionOf?.attachmentUUID.databaseText), \(bind: new.newVersionOf?.currentSHA256),
                        \(bind: new.category), \(bind: Self.tagsText(new.tags)))
                RETURNING \(unsafeRaw: Self.resumableColumns)
                """).first()
            guard let upload = try row?.resumableUpload() else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO resumable_uploads") }
            return upload
        }
    }

    public func resumableUpload(tenantID: Int64, id: UUID) async throws -> ResumableUpload? {
        try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.resumableColumns) FROM resumable_uploads
                WHERE id = \(bind: id.databaseText) AND tenant_id = \(bind: tenantID)
                """).first()?.resumableUpload()
        }
    }

    public func lockResumableUpload(
        tenantID: Int64, id: UUID, at offset: Int64, holder: String, now: Date, until: Date
    ) async throws -> ResumableUpload? {
        try await database.write { db in
            try await db.raw("""
                UPDATE resumable_uploads SET lock_holder = \(bind: holder), lock_until = \(bind: until.millisecondsSince1970)
                WHERE id = \(bind: id.databaseText) AND tenant_id = \(bind: tenantID) AND state = 'receiving'
                    AND received = \(bind: offset)
                    AND (lock_holder IS NULL OR lock_holder = \(bind: holder) OR lock_until < \(bind: now.millisecondsSince1970))
                RETURNING \(unsafeRaw: Self.resumableColumns)
                """).first()?.resumableUpload()
        }
    }

    public func unlockResumableUpload(id: UUID, holder: String) async throws {
        try await database.write { db in
            try await db.raw("""
                UPDATE resumable_uploads SET lock_holder = NULL, lock_until = NULL, lock_staging_key = NULL
                WHERE id = \(bind: id.databaseText) AND lock_holder = \(bind: holder)
                """).run()
        }
    }

    public func registerResumableStaging(id: UUID, holder: String, stagingKey: String) async throws -> Bool {
        try await database.write { db in
            try await db.raw("""
                UPDATE resumable_uploads SET lock_staging_key = \(bind: stagingKey)
                WHERE id = \(bind: id.databaseText) AND lock_holder = \(bind: holder) RETURNING id
                """).first() != nil
        }
    }

    public func appendResumablePart(
        tenantID: Int64, id: UUID, part: ResumablePart, holder: String, length: Int64?, expiresAt: Date
    ) async throws -> ResumableUpload? {
        try await database.write { db in
            guard let upload = try await db.raw("""
                UPDATE resumable_uploads SET received = received + \(bind: part.staged.size), length = COALESCE(length, \(bind: length)),
                    expires_at = \(bind: expiresAt.millisecondsSince1970), lock_holder = NULL, lock_until = NULL, lock_staging_key = NULL
                WHERE id = \(bind: id.databaseText) AND tenant_id = \(bind: tenantID) AND state = 'receiving'
                    AND lock_holder = \(bind: holder) AND received = \(bind: part.offset)
                RETURNING \(unsafeRaw: Self.resumableColumns)
                """).first()?.resumableUpload()
            else { return nil }
            if part.staged.size > 0 {
                try await db.raw("""
                    INSERT INTO resumable_parts (upload_id, part_offset, size, staging_key)
                    VALUES (\(bind: id.databaseText), \(bind: part.offset), \(bind: part.staged.size), \(bind: part.staged.stagingKey))
                    """).run()
            }
            return upload
        }
    }

    public func resumableParts(id: UUID) async throws -> [ResumablePart] {
        try await database.read { db in
            try await Self.parts(of: id, in: db)
        }
    }

    public func resumableReservation(tenantID: Int64, excluding: UUID?) async throws -> Int64 {
        try await database.read { db in
            let row = try await db.raw("""
                SELECT CAST(COALESCE(SUM(COALESCE(length, received)), 0) AS BIGINT) AS reserved FROM resumable_uploads
                WHERE tenant_id = \(bind: tenantID) AND state = 'receiving' AND id <> \(bind: excluding?.databaseText ?? "")
                """).first()
            return try row?.decode(column: "reserved", as: Int64.self) ?? 0
        }
    }

    public func failResumableUpload(tenantID: Int64, id: UUID, reason: String) async throws -> [ResumablePart] {
        try await database.write { db in
            let parts = try await Self.parts(of: id, in: db)
            try await db.raw("""
                UPDATE resumable_uploads SET state = 'failed', failure = \(bind: reason), lock_holder = NULL, lock_until = NULL, lock_staging_key = NULL
                WHERE id = \(bind: id.databaseText) AND tenant_id = \(bind: tenantID) AND state = 'receiving'
                """).run()
            try await db.raw("DELETE FROM resumable_parts WHERE upload_id = \(bind: id.databaseText)").run()
            return parts
        }
    }

    public func deleteResumableUpload(tenantID: Int64, id: UUID) async throws -> [ResumablePart]? {
        try await database.write { db in
            guard try await db.raw("""
                DELETE FROM resumable_uploads WHERE id = \(bind: id.databaseText) AND tenant_id = \(bind: tenantID) RETURNING id
                """).first() != nil
            else { return nil }
            let parts = try await Self.parts(of: id, in: db)
            try await db.raw("DELETE FROM resumable_parts WHERE upload_id = \(bind: id.databaseText)").run()
            return parts
        }
    }

    public func deleteExpiredResumableUploads(before cutoff: Date) async throws -> [ResumablePart] {
        try await database.write { db in
            let expired = try await db.raw("""
                DELETE FROM resumable_uploads WHERE expires_at < \(bind: cutoff.millisecondsSince1970) RETURNING id
                """).all().map { try $0.string("id") }
            guard !expired.isEmpty else { return [] }
            let parts = try await db.raw("""
                DELETE FROM resumable_parts WHERE upload_id IN (\(binds: expired)) RETURNING part_offset, size, staging_key
                """).all().map { try $0.resumablePart() }
            return parts
        }
    }

    public func resumableStagingKeys() async throws -> Set<String> {
        try await database.read { db in
            // One statement, so a key moving from a lock to a part in between is seen in one place or the other.
            Set(try await db.raw("""
                SELECT staging_key FROM resumable_parts
                UNION SELECT lock_staging_key AS staging_key FROM resumable_uploads WHERE lock_staging_key IS NOT NULL
                """).all().map { try $0.string("staging_key") })
        }
    }

    /// In a completing upload's file transaction: the upload is settled with its file.
    /// - Throws: `uploadGone` when it is no longer receiving (completed meanwhile, terminated, expired).
    static func completeResumableUpload(_ id: UUID, tenantID: Int64, file: StoredFile, attachment: Attachment?, in db: any SQLDatabase) async throws {
        guard try await db.raw("""
            UPDATE resumable_uploads SET state = 'complete', file_id = \(bind: file.id), attachment_uuid = \(bind: attachment?.uuid.databaseText),
                lock_holder = NULL, lock_until = NULL, lock_staging_key = NULL
            WHERE id = \(bind: id.databaseText) AND tenant_id = \(bind: tenantID) AND state = 'receiving'
            RETURNING id
            """).first() != nil
        else {
            throw AttacheError(.uploadGone, "The upload \(id.databaseText) is no longer receiving.")
        }
        try await db.raw("DELETE FROM resumable_parts WHERE upload_id = \(bind: id.databaseText)").run()
    }

    private static func parts(of id: UUID, in db: any SQLDatabase) async throws -> [ResumablePart] {
        try await db.raw("""
            SELECT part_offset, size, staging_key FROM resumable_parts WHERE upload_id = \(bind: id.databaseText) ORDER BY part_offset
            """).all().map { try $0.resumablePart() }
    }

    /// `concat` column: NULL, `partial`, or `final:` and the parts' ids separated by spaces.
    static func concatText(_ concatenation: ResumableUpload.Concatenation?) -> String? {
        switch concatenation {
        case nil: nil
        case .partial: "partial"
        case .final(let parts): "final:" + parts.map(\.databaseText).joined(separator: " ")
        }
    }
}
