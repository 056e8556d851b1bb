import AttacheCore
import Foundation
import SQLKit

/// Blob rows and their lifecycle (see ``MetadataStore`` and ``BlobClaim``).
///
/// `blobs.state` is `pending` (claimed, content maybe not promoted yet), `stored` (a commit confirmed
/// the content) or `deleting` (marked by `gc`, content being removed). `released_at` is set while no file
/// references the blob. `generation` takes a new random value whenever the row is marked for deletion
/// (and when it is created), so a row that is deleted and created again never repeats one.
extension SQLMetadataStore {
    public func claimBlobs(_ addresses: [BlobAddress: Int64]) async throws -> [BlobAddress: BlobClaim] {
        let ordered = addresses.keys.sorted(by: BlobAddress.lockOrder)
        let known = try await database.read { db in
            var rows: [BlobAddress: BlobRow] = [:]
            for address in ordered {
                rows[address] = try await Self.blobRow(address, in: db)
            }
            return rows
        }
        var claims: [BlobAddress: BlobClaim] = [:]
        var unclaimed: [BlobAddress] = []
        for address in ordered {
            if let row = known[address], row.state == .stored {
                claims[address] = BlobClaim(address: address, generation: row.generation, needsContent: false)
            } else {
                unclaimed.append(address)
            }
        }
        guard !unclaimed.isEmpty else { return claims }
        let toClaim = unclaimed
        let flavor = database.flavor
        let now = Date().millisecondsSince1970
        // A claim only protects content while its upload is alive, so its commit need not be durable.
        let written = try await database.writeVisible { db in
            var written: [BlobAddress: BlobClaim] = [:]
            for address in toClaim {
                try await flavor.lockBlob(address, in: db)
                switch try await Self.blobRow(address, in: db) {
                case nil:
                    let generation = BlobRow.newGeneration()
                    try await db.raw("""
                        INSERT INTO blobs (tenant_id, sha256, size, created_at, generation, state, released_at)
                        VALUES (\(bind: address.tenantID), \(bind: address.sha256), \(bind: addresses[address] ?? 0), \(bind: now),
                                \(bind: generation), 'pending', \(bind: now))
                        """).run()
                    written[address] = BlobClaim(address: address, generation: generation, needsContent: true)
                case let row? where row.state == .deleting:
                    throw BlobLifecycleError.deletionInProgress(address)
                case let row?:
                    try await db.raw("""
                        UPDATE blobs SET released_at = \(bind: now)
                        WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) AND released_at IS NOT NULL
                        """).run()
                    written[address] = BlobClaim(address: address, generation: row.generation, needsContent: row.state != .stored)
                }
            }
            return written
        }
        return claims.merging(written) { _, new in new }
    }

    /// Checks that every claim still holds and marks its blob stored and referenced (inside the
    /// transaction that inserts the files).
    static func confirmClaims(
        _ claims: [BlobAddress: BlobClaim], checksums: [BlobAddress: UInt32] = [:], flavor: SQLFlavor, in db: any SQLDatabase
    ) async throws {
        for address in claims.keys.sorted(by: BlobAddress.lockOrder) {
            guard let claim = claims[address] else { continue }
            try await flavor.lockBlob(address, in: db)
            guard let row = try await blobRow(address, in: db), row.state != .deleting, row.generation == claim.generation else {
                throw BlobLifecycleError.claimLost(address)
            }
            try await db.raw("""
                UPDATE blobs SET state = 'stored', released_at = NULL, crc32 = COALESCE(crc32, \(bind: checksums[address].map(Int64.init)))
                WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)
                """).run()
        }
    }

    public func forEachBlob(_ visit: (BlobAddress, Int64) async throws -> Void) async throws {
        var after: (Int64, String) = (Int64.min, "")
        while true {
            let cursor = after
            let batch = try await database.read { db in
                try await db.raw("""
                    SELECT tenant_id, sha256, size FROM blobs
                    WHERE state = 'stored' AND (tenant_id > \(bind: cursor.0) OR (tenant_id = \(bind: cursor.0) AND sha256 > \(bind: cursor.1)))
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

    public func markBlobsForDeletion(releasedBefore: Date, staleBefore: Date, limit: Int) async throws -> [BlobDeletion] {
        let cutoff = releasedBefore.millisecondsSince1970
        let stale = staleBefore.millisecondsSince1970
        let candidates = try await database.read { db in
            try await db.raw("""
                SELECT tenant_id, sha256 FROM blobs
                WHERE (state <> 'deleting' AND released_at IS NOT NULL AND released_at <= \(bind: cutoff))
                   OR (state = 'deleting' AND marked_at <= \(bind: stale))
                ORDER BY tenant_id, sha256 LIMIT \(literal: max(limit, 1))
                """).all().map { BlobAddress(tenantID: try $0.int64("tenant_id"), sha256: try $0.string("sha256")) }
        }
        guard !candidates.isEmpty else { return [] }
        let flavor = database.flavor
        let now = Date().millisecondsSince1970
        return try await database.write { db in
            var marked: [BlobDeletion] = []
            for address in candidates {
                try await flavor.lockBlob(address, in: db)
                guard let row = try await Self.blobRow(address, in: db) else { continue }
                let collectable: Bool
                if row.state == .deleting {
                    collectable = (row.markedAt ?? 0) <= stale
                } else if let releasedAt = row.releasedAt, releasedAt <= cutoff {
                    if try await Self.isReferenced(address, in: db) {
                        try await db.raw("""
                            UPDATE blobs SET released_at = NULL WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)
                            """).run()
                        collectable = false
                    } else if try await Self.isPreviewImage(address, in: db) {
                        // No file has these bytes any more, but a preview image of other content is
                        // them: the content stays, kept by that image's row (and out of the quota).
                        try await db.raw("DELETE FROM blobs WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)").run()
                        try await Self.forgetDerivedWork(address, in: db)
                        collectable = false
                    } else {
                        collectable = true
                    }
                } else {
                    collectable = false
                }
                guard collectable else { continue }
                let generation = BlobRow.newGeneration()
                try await db.raw("""
                    UPDATE blobs SET state = 'deleting', generation = \(bind: generation), marked_at = \(bind: now)
                    WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)
                    """).run()
                marked.append(BlobDeletion(address: address, generation: generation))
            }
            return marked
        }
    }

    public func markOrphanContentForDeletion(_ address: BlobAddress) async throws -> BlobDeletion? {
        guard try await database.read({ db in try await Self.blobRow(address, in: db) }) == nil else { return nil }
        let flavor = database.flavor
        let now = Date().millisecondsSince1970
        return try await database.write { db in
            try await flavor.lockBlob(address, in: db)
            // A preview image has no blob row; its row in derived_images keeps it.
            guard try await Self.blobRow(address, in: db) == nil, try await !Self.isPreviewImage(address, in: db) else { return nil }
            let generation = BlobRow.newGeneration()
            // Content of a tenant that has no row cannot be claimed either; it needs no mark.
            try await db.raw("""
                INSERT INTO blobs (tenant_id, sha256, size, created_at, generation, state, released_at, marked_at)
                SELECT \(bind: address.tenantID), \(bind: address.sha256), 0, \(bind: now), \(bind: generation), 'deleting', \(bind: now), \(bind: now)
                WHERE EXISTS (SELECT 1 FROM tenants WHERE id = \(bind: address.tenantID))
                """).run()
            return BlobDeletion(address: address, generation: generation)
        }
    }

    public func finishBlobDeletion(_ deletion: BlobDeletion) async throws {
        let address = deletion.address
        try await database.write { db in
            let deleted = try await db.raw("""
                DELETE FROM blobs WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)
                AND state = 'deleting' AND generation = \(bind: deletion.generation)
                RETURNING sha256
                """).first()
            // What was derived from the content goes with it: its jobs, its text and its images' rows.
            guard deleted != nil else { return }
            try await Self.forgetDerivedWork(address, in: db)
        }
    }

    /// Deletes a file that has no attachment left, then releases its blob when no other file shares it.
    /// - Returns: the deleted file; `nil` when it is still linked (or gone).
    @discardableResult
    static func deleteFileIfUnlinked(_ fileRowID: Int64, tenantID: Int64, flavor: SQLFlavor, in db: any SQLDatabase) async throws -> StoredFile? {
        let linked = try await db.raw("""
            SELECT 1 AS linked FROM attachments WHERE file_id = \(bind: fileRowID)
            UNION ALL SELECT 1 AS linked FROM attachment_versions WHERE file_id = \(bind: fileRowID) LIMIT 1
            """).first() != nil
        guard !linked else { return nil }
        return try await deleteFileRow(fileRowID, tenantID: tenantID, flavor: flavor, in: db)
    }

    /// Deletes a file row (its attachments must be gone) and marks its blob released when that was the
    /// last reference. The content stays until `gc` collects it after the grace period.
    @discardableResult
    static func deleteFileRow(_ fileRowID: Int64, tenantID: Int64, flavor: SQLFlavor, in db: any SQLDatabase) async throws -> StoredFile? {
        guard let file = try await db.raw("""
            DELETE FROM files WHERE tenant_id = \(bind: tenantID) AND id = \(bind: fileRowID) RETURNING \(unsafeRaw: SQLColumns.file)
            """).first()?.storedFile()
        else { return nil }
        let address = file.blobAddress
        try await flavor.lockBlob(address, in: db)
        if try await !isReferenced(address, in: db) {
            try await db.raw("""
                UPDATE blobs SET released_at = \(bind: Date().millisecondsSince1970)
                WHERE tenant_id = \(bind: tenantID) AND sha256 = \(bind: file.sha256) AND released_at IS NULL
                """).run()
        }
        return file
    }

    static func isReferenced(_ address: BlobAddress, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS referenced FROM files WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) LIMIT 1
            """).first() != nil
    }

    static func blobRow(_ address: BlobAddress, in db: any SQLDatabase) async throws -> BlobRow? {
        guard let row = try await db.raw("""
            SELECT generation, state, released_at, marked_at FROM blobs
            WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256)
            """).first()
        else { return nil }
        guard let state = BlobRow.State(rawValue: try row.string("state")) else {
            throw SQLStoreError.corruptRow(column: "state")
        }
        return BlobRow(
            generation: try row.int64("generation"),
            state: state,
            releasedAt: try row.decodeNil(column: "released_at") ? nil : row.int64("released_at"),
            markedAt: try row.decodeNil(column: "marked_at") ? nil : row.int64("marked_at")
        )
    }
}

extension SQLMetadataStore {
    public func checksums(of addresses: [BlobAddress]) async throws -> [BlobAddress: UInt32] {
        var found: [BlobAddress: UInt32] = [:]
        // A tenant's addresses in batches, so a record of many files is a few statements.
        for (tenantID, group) in Dictionary(grouping: addresses, by: \.tenantID) {
            for start in stride(from: 0, to: group.count, by: 500) {
                let batch = group[start..<min(start + 500, group.count)].map(\.sha256)
                let rows = try await database.read { db in
                    try await db.raw("""
                        SELECT sha256, crc32 FROM blobs
                        WHERE tenant_id = \(bind: tenantID) AND sha256 IN (\(binds: batch)) AND crc32 IS NOT NULL
                        """).all()
                }
                for row in rows {
                    found[BlobAddress(tenantID: tenantID, sha256: try row.string("sha256"))] = UInt32(truncatingIfNeeded: try row.int64("crc32"))
                }
            }
        }
        return found
    }

    public func recordChecksum(_ crc32: UInt32, of address: BlobAddress) async throws {
        try await database.write { db in
            try await Self.setChecksum(crc32, of: address, in: db)
        }
    }

    static func setChecksum(_ crc32: UInt32, of address: BlobAddress, in db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE blobs SET crc32 = \(bind: Int64(crc32))
            WHERE tenant_id = \(bind: address.tenantID) AND sha256 = \(bind: address.sha256) AND crc32 IS NULL
            """).run()
    }
}
