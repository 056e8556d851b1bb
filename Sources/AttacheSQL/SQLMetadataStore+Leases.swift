import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func acquireLease(_ name: String, holder: String, now: Date, expiresAt: Date) async throws -> Bool {
        let (start, end) = (now.millisecondsSince1970, expiresAt.millisecondsSince1970)
        return try await database.write { db in
            // One statement: the row is inserted, or taken over when expired or already ours; a lease
            // held by another node is left alone and nothing comes back.
            try await db.raw("""
                INSERT INTO job_leases (name, holder, expires_at) VALUES (\(bind: name), \(bind: holder), \(bind: end))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE job_leases.expires_at < \(bind: start) OR job_leases.holder = excluded.holder
                RETURNING holder
                """).first() != nil
        }
    }
}
