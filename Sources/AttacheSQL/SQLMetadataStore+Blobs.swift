import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func blobIsReferenced(_ address: BlobAddress) async throws -> Bool {
        try await database.read { db in
            try await db.raw("""
                SELECT 1 AS referenced FROM files WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) LIMIT 1
                """).first() != nil
        }
    }

    public func releaseBlobIfUnreferenced(_ address: BlobAddress, release: BlobAction) async throws -> Bool {
        let flavor = database.flavor
        return try await database.write { db in
            try await flavor.lockBlob(tenantID: address.tenantID, sha256: address.sha256, in: db)
            let referenced = try await db.raw("""
                SELECT 1 AS referenced FROM files WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) LIMIT 1
                """).first() != nil
            guard !referenced else { return false }
            try await db.raw("DELETE FROM blobs WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)").run()
            try await release(address)
            return true
        }
    }

    public func forEachBlob(_ visit: (BlobAddress, Int64) async throws -> Void) async throws {
        var after: (Int64, String) = (Int64.min, "")
        while true {
            let cursor = after
            let batch = try await database.read { db in
                try await db.raw("""
                    SELECT tenant_id, sha256, size FROM blobs
                    WHERE tenant_id > \(bind: cursor.0) OR (tenant_id = \(bind: cursor.0) AND sha256 > \(bind: cursor.1))
                    ORDER BY tenant_id, sha256 LIMIT 500
                    """).all().map { row in
                    (BlobAddress(tenantID: try row.int64("tenant_id"), sha256: try row.string("sha256")), try row.int64("size"))
                }
            }
            for (address, size) in batch {
                try await visit(address, size)
            }
            guard let last = batch.last else { return }
            after = (last.0.tenantID, last.0.sha256)
        }
    }

    /// Deletes a file that has no attachment left, then its blob when no other file shares it.
    static func deleteFileIfUnlinked(_ fileID: Int64, tenantID: Int64, flavor: SQLFlavor, in db: any SQLDatabase, release: BlobAction) async throws {
        let linked = try await db.raw("SELECT 1 AS linked FROM attachments WHERE file_id = \(bind: fileID) LIMIT 1").first() != nil
        guard !linked else { return }
        try await deleteFileRow(fileID, tenantID: tenantID, flavor: flavor, in: db, release: release)
    }

    /// Deletes a file row (its attachments must be gone) and releases its blob when it was the last reference.
    @discardableResult
    static func deleteFileRow(
        _ fileID: Int64, tenantID: Int64, flavor: SQLFlavor, in db: any SQLDatabase, release: BlobAction
    ) async throws -> StoredFile? {
        guard let file = try await db.raw("""
            DELETE FROM files WHERE tenant_id = \(bind: tenantID) AND id = \(bind: fileID) RETURNING \(unsafeRaw: SQLColumns.file)
            """).first()?.storedFile()
        else { return nil }
        try await flavor.lockBlob(tenantID: tenantID, sha256: file.sha256, in: db)
        let shared = try await db.raw("""
            SELECT 1 AS shared FROM files WHERE tenant_id = \(bind: tenantID) AND sha256 = \(bind: file.sha256) LIMIT 1
            """).first() != nil
        if !shared {
            try await db.raw("DELETE FROM blobs WHERE tenant_id = \(bind: tenantID) AND sha256 = \(bind: file.sha256)").run()
            try await release(file.blobAddress)
        }
        return file
    }
}
