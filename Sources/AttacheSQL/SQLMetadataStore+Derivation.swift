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

    public func completeTextJob(_ job: DerivationJob, holder: String, text: DerivedText, now: Date) async throws -> Bool {
        let at = now.millisecondsSince1970
        let flavor = database.flavor
        return try await database.write { db in
            guard try await Self.endClaim(job, holder: holder, setting: "state = 'done', reason = NULL, finished_at = \(bind: at)", in: db) else {
                return false
            }
            let address = job.address
            try await db.raw("""
                INSERT INTO derived_texts (tenant_id, sha256, status, text, created_at)
                VALUES (\(bind: address.tenantID), \(bind: address.sha256), \(bind: text.status.rawValue), \(bind: text.text), \(bind: at))
                ON CONFLICT (tenant_id, sha256) DO UPDATE SET status = excluded.status, text = excluded.text, created_at = excluded.created_at
                """).run()
            // Every attachment of the content is found by its text from this transaction on.
            let attachments: SQLQueryString = """
                SELECT a.id FROM attachments a JOIN files f ON f.id = a.file_id
                WHERE f.tenant_id = \(bind: address.tenantID) AND f.sha256 = \(bind: address.sha256)
                """
            switch flavor {
            case .sqlite:
                try await db.raw("UPDATE attachment_search SET body = \(bind: text.text) WHERE rowid IN (\(attachments))").run()
            case .postgres:
                try await db.raw("SELECT attachment_search_reindex(ARRAY(\(attachments))) AS reindexed").run()
            }
            return true
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

    /// Makes the jobs due for content of `mimeType` (``AttacheCore/DerivationKind/kinds(forMIMEType:)``):
    /// new ones only, or with `again` finished ones back in the queue too (a job being worked is left
    /// to its node).
    static func queueDerivations(_ address: BlobAddress, mimeType: String, again: Bool, at: Int64, in db: any SQLDatabase) async throws {
        for kind in DerivationKind.kinds(forMIMEType: mimeType) {
            let onConflict: SQLQueryString =
                again
                ? """
                    DO UPDATE SET state = 'queued', attempts = 0, run_after = excluded.run_after, holder = NULL, lease_end = NULL,
                                  reason = NULL, finished_at = NULL, mime_type = excluded.mime_type
                    WHERE derivation_jobs.state <> 'running'
                    """
                : "DO NOTHING"
            try await db.raw("""
                INSERT INTO derivation_jobs (tenant_id, sha256, kind, mime_type, state, attempts, run_after, created_at)
                VALUES (\(bind: address.tenantID), \(bind: address.sha256), \(bind: kind.rawValue), \(bind: mimeType), 'queued', 0, \(bind: at), \(bind: at))
                ON CONFLICT (tenant_id, sha256, kind) \(onConflict)
                """).run()
        }
    }

    /// Removes the jobs and the text of content that is gone.
    static func forgetDerivedWork(_ address: BlobAddress, in db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM derivation_jobs WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)").run()
        try await db.raw("DELETE FROM derived_texts WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)").run()
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
