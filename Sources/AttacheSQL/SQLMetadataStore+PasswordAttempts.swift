import AttacheCore
import Foundation
import SQLKit

/// Password attempts on share links (`share_password_attempts`): one row per share and client address,
/// read, decided (``PasswordGuessLimit``) and written back in one transaction — SQLite's single writer,
/// or PostgreSQL's row lock — so racing attempts on any number of nodes are decided one at a time.
extension SQLMetadataStore {
    public func admitSharePassword(shareID: UUID, client: String, limit: PasswordGuessLimit, now: Date) async throws -> Date? {
        let lock: SQLQueryString = database.flavor == .postgres ? " FOR UPDATE" : ""
        let (share, time) = (shareID.databaseText, now.millisecondsSince1970)
        // While a lock-out holds, every attempt is refused by one read: a guessing client costs no writes.
        let locked = try await database.read { db in
            try await db.raw("""
                SELECT locked_until FROM share_password_attempts
                WHERE share_id = \(bind: share) AND client = \(bind: client) AND locked_until > \(bind: time)
                """).first()?.optionalDate("locked_until")
        }
        if let locked { return locked }
        return try await database.write { db in
            // The row exists before it is locked, so that two first attempts cannot both find none.
            try await db.raw("""
                INSERT INTO share_password_attempts (share_id, client, attempts, updated_at) VALUES (\(bind: share), \(bind: client), 0, \(bind: time))
                ON CONFLICT (share_id, client) DO NOTHING
                """).run()
            let row = try await db.raw("""
                SELECT attempts, locked_until FROM share_password_attempts
                WHERE share_id = \(bind: share) AND client = \(bind: client)\(lock)
                """).first()
            let stored = try row.map { PasswordGuessLimit.Attempts(count: try $0.int64("attempts"), lockedUntil: try $0.optionalDate("locked_until")) }
            let (attempts, refusedUntil) = limit.admit(stored, now: now)
            try await db.raw("""
                UPDATE share_password_attempts
                SET attempts = \(bind: attempts.count), locked_until = \(bind: attempts.lockedUntil?.millisecondsSince1970), updated_at = \(bind: time)
                WHERE share_id = \(bind: share) AND client = \(bind: client)
                """).run()
            return refusedUntil
        }
    }

    public func forgetSharePasswordAttempts(shareID: UUID, client: String) async throws {
        try await database.write { db in
            try await db.raw("""
                DELETE FROM share_password_attempts WHERE share_id = \(bind: shareID.databaseText) AND client = \(bind: client)
                """).run()
        }
    }

    public func pruneSharePasswordAttempts(before: Date) async throws -> Int {
        let time = before.millisecondsSince1970
        return try await database.write { db in
            try await db.raw("""
                DELETE FROM share_password_attempts
                WHERE updated_at < \(bind: time) AND (locked_until IS NULL OR locked_until < \(bind: time))
                RETURNING share_id
                """).all().count
        }
    }
}
