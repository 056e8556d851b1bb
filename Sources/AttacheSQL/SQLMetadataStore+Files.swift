import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func insertFiles(
        _ files: [NewFile],
        tenantID: Int64,
        link: AttachmentLink?,
        claims: [BlobAddress: BlobClaim]
    ) async throws -> [(StoredFile, Attachment?)] {
        let now = Date().millisecondsSince1970
        let flavor = database.flavor
        return try await database.write { db in
            if let link {
                try await Self.requireRecord(link.recordID, tenantID: tenantID, in: db)
            }
            let needed = Set(files.map { BlobAddress(tenantID: tenantID, sha256: $0.sha256) })
            guard needed.isSubset(of: claims.keys) else {
                throw SQLStoreError.unclaimedContent
            }
            try await Self.confirmClaims(claims.filter { needed.contains($0.key) }, flavor: flavor, in: db)
            var stored: [(StoredFile, Attachment?)] = []
            for (index, new) in files.enumerated() {
                let fileRow = try await db.raw("""
                    INSERT INTO files (uuid, tenant_id, name, size, mime_type, kind, sha256, created_at, updated_at, scan_state)
                    VALUES (\(bind: new.uuid.databaseText), \(literal: tenantID), \(bind: new.name), \(bind: new.size),
                            \(bind: new.mimeType), \(bind: new.kind.rawValue), \(bind: new.sha256), \(bind: now), \(bind: now),
                            \(bind: new.scanned ? "clean" : nil))
                    RETURNING \(unsafeRaw: SQLColumns.file)
                    """).first()
                guard let file = try fileRow?.storedFile() else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO files") }
                var attachment: Attachment?
                if let link {
                    let slot = index < link.slots.count ? link.slots[index] : nil
                    attachment = try await Self.insertAttachment(fileID: file.id, tenantID: tenantID, link: link, slot: slot, at: now, in: db)
                }
                stored.append((file, attachment))
            }
            try await Self.enforceQuota(tenantID: tenantID, flavor: flavor, in: db)
            return stored
        }
    }

    public func file(tenantID: Int64, id: Int64) async throws -> StoredFile? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.file) FROM files WHERE tenant_id = \(literal: tenantID) AND id = \(literal: id)")
                .first()?.storedFile()
        }
    }

    public func files(tenantID: Int64, ids: [Int64]) async throws -> [StoredFile] {
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.file) FROM files WHERE tenant_id = \(literal: tenantID) AND id IN (\(binds: ids)) ORDER BY id
                """).all().map { try $0.storedFile() }
        }
    }

    public func deleteFile(tenantID: Int64, id: Int64) async throws -> StoredFile? {
        let flavor = database.flavor
        return try await database.write { db in
            try await db.raw("DELETE FROM attachments WHERE tenant_id = \(literal: tenantID) AND file_id = \(literal: id)").run()
            return try await Self.deleteFileRow(id, tenantID: tenantID, flavor: flavor, in: db)
        }
    }

    static func requireRecord(_ recordID: Int64, tenantID: Int64, in db: any SQLDatabase) async throws {
        let found = try await db.raw("SELECT id FROM records WHERE tenant_id = \(literal: tenantID) AND id = \(literal: recordID)").first()
        guard found != nil else { throw AttacheError(.notFound, "There is no record \(recordID).") }
    }

    public func setScanStatus(_ status: ScanStatus, of address: BlobAddress) async throws -> Int {
        let (state, signature): (String?, String?) = switch status {
        case .unscanned: (nil, nil)
        case .clean: ("clean", nil)
        case .infected(let found): ("infected", found)
        }
        return try await database.write { db in
            try await db.raw("""
                UPDATE files SET scan_state = \(bind: state), scan_signature = \(bind: signature)
                WHERE tenant_id = \(literal: address.tenantID) AND sha256 = \(bind: address.sha256) RETURNING id
                """).all().count
        }
    }
}
