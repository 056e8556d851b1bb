import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func signingKeys() async throws -> [SigningKey] {
        try await database.read { db in
            try await Self.signingKeys(in: db)
        }
    }

    public func ensureSigningKey(_ candidate: [UInt8]) async throws -> [SigningKey] {
        let flavor = database.flavor
        let now = Date().millisecondsSince1970
        return try await database.write { db in
            try await flavor.lockSigningKeys(in: db)
            let current = try await db.raw("SELECT id FROM signing_keys WHERE retired_at IS NULL LIMIT 1").first()
            if current == nil {
                try await db.raw("""
                    INSERT INTO signing_keys (secret, created_at) VALUES (\(bind: candidate.hexString), \(bind: now))
                    """).run()
            }
            return try await Self.signingKeys(in: db)
        }
    }

    public func rotateSigningKey(to secret: [UInt8], at time: Date, signsFrom: Date, purgeBefore: Date) async throws -> [SigningKey] {
        let flavor = database.flavor
        let now = time.millisecondsSince1970
        return try await database.write { db in
            try await flavor.lockSigningKeys(in: db)
            let stored = try await db.raw("SELECT id FROM signing_keys LIMIT 1").first() != nil
            let activation = (stored ? max(signsFrom, time) : time).millisecondsSince1970
            try await db.raw("""
                UPDATE signing_keys SET retired_at = \(bind: activation) WHERE retired_at IS NULL OR retired_at > \(bind: activation)
                """).run()
            try await db.raw("""
                INSERT INTO signing_keys (secret, created_at, signs_from) VALUES (\(bind: secret.hexString), \(bind: now), \(bind: activation))
                """).run()
            try await db.raw("DELETE FROM signing_keys WHERE retired_at <= \(bind: purgeBefore.millisecondsSince1970)").run()
            return try await Self.signingKeys(in: db)
        }
    }

    private static func signingKeys(in db: any SQLDatabase) async throws -> [SigningKey] {
        try await db.raw("SELECT id, secret, created_at, signs_from, retired_at FROM signing_keys ORDER BY id").all().map { row in
            guard let secret = [UInt8](hexString: try row.string("secret")) else { throw SQLStoreError.corruptRow(column: "secret") }
            return SigningKey(
                id: try row.int64("id"), secret: secret, createdAt: try row.date("created_at"), signsFrom: try row.optionalDate("signs_from"),
                retiredAt: try row.optionalDate("retired_at")
            )
        }
    }
}
