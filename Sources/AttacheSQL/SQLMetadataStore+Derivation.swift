import AttacheCore
import Foundation
import SQLKit

/// ``AttacheCore/DerivationStore`` over the tables of `SQLSchema+Derivation.swift`.
///
/// A claim is one `UPDATE … RETURNING` of the oldest due job; on PostgreSQL its row is picked with
/// `FOR UPDATE SKIP LOCKED`, so nodes claiming at once take different jobs. Finishing or failing a job
/// names the claim (holder and attempt), so a node whose lease ended and was taken over changes nothing.
extension SQLMetadataStore {
    public func claimDerivationJob(holder: String, now: Date, leaseEnd: Date) async throws -> DerivationJob? {
        let (at, end) = (now.millisecondsSince1970, leaseEnd.millisecondsSince1970)
        let due: SQLQueryString = "((state = 'queued' AND run_after <= \(bind: at)) OR (state = 'running' AND lease_end < \(bind: at)))"
        // Idle workers ask often: a read first, so an empty queue never takes SQLite's write lock.
        let pending = try await database.read { db in
            try await db.raw("SELECT id FROM derivation_jobs WHERE \(due) LIMIT 1").first()
        }
        guard pending != nil else { return nil }
        let skipLocked = database.flavor == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let row = try await database.write { db in
            try await db.raw("""
                UPDATE derivation_jobs SET state = 'running', holder = \(bind: holder), lease_end = \(bind: end), attempts = attempts + 1
                WHERE id = (SELECT id FROM derivation_jobs WHERE \(due) ORDER BY id LIMIT 1\(unsafeRaw: skipLocked)) AND \(due)
                RETURNING id, tenant_id, sha256, kind, mime_type, attempts
                """).first()
        }
        guard let row else { return nil }
        guard let kind = DerivationKind(rawValue: try row.string("kind")) else {
            throw SQLStoreError.corruptRow(column: "derivation_jobs.kind")
        }
        return DerivationJob(
            id: try row.int64("id"), address: BlobAddress(tenantID: try row.int64("tenant_id"), sha256: try row.string("sha256")),
            kind: kind, mimeType: try row.string("mime_type"), attempt: Int(try row.int64("attempts"))
        )
    }

    public func completeDerivationJob(_ job: DerivationJob, holder: String, result: DerivationResult, now: Date) async throws -> Bool {
        let at = now.millisecondsSince1970
        let flavor = database.flavor
        return try await database.write { db in
            guard try await Self.endClaim(job, holder: holder, setting: "state = 'done', reason = NULL, finished_at = \(bind: at)", in: db) else {
                return false
            }
            switch result {
            case .text(let text):
                try await Self.recordText(text, of: job.address, at: at, flavor: flavor, in: db)
            case .previews(let images):
                try await Self.recordPreviews(images, of: job.address, at: at, flavor: flavor, in: db)
            }
            return true
        }
    }

    /// Keeps the text of content, and puts it in the search entry of every attachment of it.
    private static func recordText(_ text: DerivedText, of address: BlobAddress, at: Int64, flavor: SQLFlavor, in db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO derived_texts (tenant_id, sha256, status, text, created_at)
            VALUES (\(bind: address.tenantID), \(bind: address.sha256), \(bind: text.status.rawValue), \(bind: text.text), \(bind: at))
            ON CONFLICT (tenant_id, sha256) DO UPDATE SET status = excluded.status, text = excluded.text, created_at = excluded.created_at
            """).run()
        // Every attachment of the content is found by its text from this transaction on.
        let owners: SQLQueryString = """
            FROM attachments a JOIN files f ON f.id = a.file_id WHERE f.tenant_id = \(bind: address.tenantID) AND f.sha256 = \(bind: address.sha256)
            """
        switch flavor {
        case .sqlite:
            let key = SQLSchema.sqliteSearchKey(tenant: "a.tenant_id", attachment: "a.id")
            try await db.raw("UPDATE attachment_search SET body = \(bind: text.text) WHERE rowid IN (SELECT \(unsafeRaw: key) \(owners))").run()
        case .postgres:
            try await db.raw("SELECT attachment_search_reindex(ARRAY(SELECT a.id \(owners))) AS reindexed").run()
        }
    }

    /// Replaces the preview images of content. Each image's content is locked as a blob is: `gc` marks
    /// content without a row only when no image row names it (``markOrphanContentForDeletion(_:)``), so
    /// an image it is removing (marked `deleting`) is not named here — the job is tried again instead.
    private static func recordPreviews(_ images: [PreviewImage], of address: BlobAddress, at: Int64, flavor: SQLFlavor, in db: any SQLDatabase) async throws {
        let imageAddresses = Set(images.map { $0.address(tenantID: address.tenantID) }).sorted(by: BlobAddress.lockOrder)
        for image in imageAddresses {
            try await flavor.lockBlob(image, in: db)
            if let row = try await blobRow(image, in: db), row.state == .deleting {
                throw BlobLifecycleError.deletionInProgress(image)
            }
        }
        try await db.raw("DELETE FROM derived_images WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)").run()
        for image in images {
            try await db.raw("""
                INSERT INTO derived_images (tenant_id, sha256, size, image_sha256, media_type, bytes, width, height, created_at)
                VALUES (\(bind: address.tenantID), \(bind: address.sha256), \(bind: image.size.rawValue), \(bind: image.imageSHA256),
                        \(bind: image.mediaType), \(bind: image.byteCount), \(bind: Int64(image.width)), \(bind: Int64(image.height)), \(bind: at))
                """).run()
        }
    }

    public func failDerivationJob(_ job: DerivationJob, holder: String, reason: String, retryAt: Date?, now: Date) async throws -> Bool {
        let change: SQLQueryString =
            if let retryAt {
                "state = 'queued', run_after = \(bind: retryAt.millisecondsSince1970), reason = \(bind: reason)"
            } else {
                "state = 'failed', reason = \(bind: reason), finished_at = \(bind: now.millisecondsSince1970)"
            }
        return try await database.write { db in try await Self.endClaim(job, holder: holder, setting: change, in: db) }
    }

    public func countDerivationJobs() async throws -> [String: Int] {
        let rows = try await database.read { db in
            try await db.raw("SELECT state, COUNT(*) AS jobs FROM derivation_jobs GROUP BY state").all()
        }
        return try rows.reduce(into: [:]) { counts, row in counts[try row.string("state")] = Int(try row.int64("jobs")) }
    }

    public func requeueDerivations(tenantID: Int64?, restart: Bool, limit: Int, now: Date) async throws -> Int {
        let scope = tenantID.map { "tenant:\($0)" } ?? "all"
        let at = now.millisecondsSince1970
        return try await database.write { db in
            if restart {
                try await db.raw("DELETE FROM derivation_rebuilds WHERE scope = \(bind: scope)").run()
            }
            var filter: SQLQueryString = "TRUE"
            if let tenantID { filter = "tenant_id = \(bind: tenantID)" }
            if let cursor = try await db.raw("SELECT tenant_id, sha256 FROM derivation_rebuilds WHERE scope = \(bind: scope)").first() {
                filter += " AND (tenant_id, sha256) > (\(bind: try cursor.int64("tenant_id")), \(bind: try cursor.string("sha256")))"
            }
            let contents = try await db.raw("""
                SELECT tenant_id, sha256, MIN(mime_type) AS mime_type FROM files WHERE \(filter)
                GROUP BY tenant_id, sha256 ORDER BY tenant_id, sha256 LIMIT \(literal: limit)
                """).all()
            guard let last = contents.last else {
                // Done: the next rebuild of the scope starts from the first content.
                try await db.raw("DELETE FROM derivation_rebuilds WHERE scope = \(bind: scope)").run()
                return 0
            }
            for content in contents {
                let address = BlobAddress(tenantID: try content.int64("tenant_id"), sha256: try content.string("sha256"))
                try await Self.queueDerivations(address, mimeType: try content.string("mime_type"), again: true, at: at, in: db)
            }
            try await db.raw("""
                INSERT INTO derivation_rebuilds (scope, tenant_id, sha256, updated_at)
                VALUES (\(bind: scope), \(bind: try last.int64("tenant_id")), \(bind: try last.string("sha256")), \(bind: at))
                ON CONFLICT (scope) DO UPDATE SET tenant_id = excluded.tenant_id, sha256 = excluded.sha256, updated_at = excluded.updated_at
                """).run()
            return contents.count
        }
    }

    public func derivedText(of address: BlobAddress) async throws -> DerivedText? {
        let row = try await database.read { db in
            try await db.raw("""
                SELECT status, text FROM derived_texts WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)
                """).first()
        }
        guard let row else { return nil }
        guard let status = DerivedText.Status(rawValue: try row.string("status")) else {
            throw SQLStoreError.corruptRow(column: "derived_texts.status")
        }
        return DerivedText(status: status, text: try row.string("text"))
    }

    public func previewImage(of address: BlobAddress, size: PreviewSize) async throws -> PreviewImage? {
        let row = try await database.read { db in
            try await db.raw("""
                SELECT image_sha256, media_type, bytes, width, height FROM derived_images
                WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) AND size = \(bind: size.rawValue)
                """).first()
        }
        guard let row else { return nil }
        return PreviewImage(
            size: size, imageSHA256: try row.string("image_sha256"), mediaType: try row.string("media_type"), byteCount: try row.int64("bytes"),
            width: Int(try row.int64("width")), height: Int(try row.int64("height"))
        )
    }

    public func derivationState(of address: BlobAddress, kind: DerivationKind) async throws -> DerivationState? {
        let row = try await database.read { db in
            try await db.raw("""
                SELECT state FROM derivation_jobs
                WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) AND kind = \(bind: kind.rawValue)
                """).first()
        }
        guard let row else { return nil }
        guard let state = DerivationState(rawValue: try row.string("state")) else {
            throw SQLStoreError.corruptRow(column: "derivation_jobs.state")
        }
        return state
    }

    public func requeueDerivation(of address: BlobAddress, kind: DerivationKind, mimeType: String, now: Date) async throws {
        let at = now.millisecondsSince1970
        try await database.write { db in
            try await Self.queueDerivation(kind, of: address, mimeType: mimeType, again: true, at: at, in: db)
            guard kind == .preview else { return }
            // Queued again because its images were lost: the rows go, so requests wait for the new ones.
            try await db.raw("""
                DELETE FROM derived_images WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)
                AND EXISTS (SELECT 1 FROM derivation_jobs j WHERE j.tenant_id = \(bind: address.tenantID) AND j.sha256 = \(bind: address.sha256)
                            AND j.kind = 'preview' AND j.state = 'queued')
                """).run()
        }
    }

    /// Makes the jobs due for content of `mimeType` (``AttacheCore/DerivationKind/kinds(forMIMEType:)``):
    /// new ones only, or with `again` finished ones back in the queue too (a job being worked is left
    /// to its node).
    static func queueDerivations(_ address: BlobAddress, mimeType: String, again: Bool, at: Int64, in db: any SQLDatabase) async throws {
        for kind in DerivationKind.kinds(forMIMEType: mimeType) {
            try await queueDerivation(kind, of: address, mimeType: mimeType, again: again, at: at, in: db)
        }
    }

    /// Makes the job of `kind` for content when it is missing; with `again`, puts a finished one back
    /// in the queue too (a job being worked is left to its node).
    static func queueDerivation(_ kind: DerivationKind, of address: BlobAddress, mimeType: String, again: Bool, at: Int64, in db: any SQLDatabase) async throws {
        let onConflict: SQLQueryString =
            again
            ? """
                DO UPDATE SET state = 'queued', attempts = 0, run_after = excluded.run_after, holder = NULL, lease_end = NULL,
                              reason = NULL, finished_at = NULL, mime_type = excluded.mime_type
                WHERE derivation_jobs.state <> 'running'
                """
            : "DO NOTHING"
        // Never for quarantined content (DerivationFailure.quarantined).
        try await db.raw("""
            INSERT INTO derivation_jobs (tenant_id, sha256, kind, mime_type, state, attempts, run_after, created_at)
            SELECT \(bind: address.tenantID), \(bind: address.sha256), \(bind: kind.rawValue), \(bind: mimeType), 'queued', 0, \(bind: at), \(bind: at)
            WHERE NOT EXISTS (SELECT 1 FROM files WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)
                              AND scan_state IN ('infected', 'damaged'))
            ON CONFLICT (tenant_id, sha256, kind) \(onConflict)
            """).run()
    }

    /// Removes the jobs, the text and the image rows of content that is gone (the images' content goes
    /// with the next `gc`, once no row names it).
    static func forgetDerivedWork(_ address: BlobAddress, in db: any SQLDatabase) async throws {
        for table in ["derivation_jobs", "derived_texts", "derived_images"] {
            try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)").run()
        }
    }

    /// Whether a preview image row names `address` as its image.
    static func isPreviewImage(_ address: BlobAddress, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS named FROM derived_images WHERE tenant_id = \(bind: address.tenantID) AND image_sha256 = \(bind: address.sha256) LIMIT 1
            """).first() != nil
    }

    /// Ends the claim `job` was worked under, with `change`; `false` when it is no longer that claim.
    private static func endClaim(_ job: DerivationJob, holder: String, setting change: SQLQueryString, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE derivation_jobs SET \(change), holder = NULL, lease_end = NULL
            WHERE id = \(bind: job.id) AND state = 'running' AND holder = \(bind: holder) AND attempts = \(bind: Int64(job.attempt))
            RETURNING id
            """).first() != nil
    }
}
