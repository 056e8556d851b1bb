package import AttacheCore
package import Foundation

/// ``ShareStore``.
extension InMemoryMetadataStore {
    package func createShare(_ share: Share, tokenHash: String, passwordHash: String?, audit: AuditContext) throws -> Share {
        try transaction { tables in
            guard tables.shares[share.id] == nil, !tables.shares.values.contains(where: { $0.tokenHash == tokenHash }) else {
                throw InMemoryStoreError.constraint("shares.token_hash")
            }
            var stored = share
            stored.downloads = 0
            stored.filesReceived = 0
            stored.bytesReceived = 0
            stored.hasPassword = passwordHash != nil
            stored.createdAt = share.createdAt.roundedToMilliseconds
            stored.updatedAt = stored.createdAt
            stored.expiresAt = share.expiresAt?.roundedToMilliseconds
            tables.shares[share.id] = InMemoryTables.ShareRow(share: stored, tokenHash: tokenHash, passwordHash: passwordHash)
            try tables.writeAuditEvents([audit.event(.shareCreate, share: stored)])
            return stored
        }
    }

    package func shares(tenantID: Int64, recordUUID: UUID?, attachmentUUID: UUID?, page: NewestFirstPageRequest) -> Page<Share> {
        let listed = tables.shares.values.map(\.share)
            .filter { share in
                share.tenantID == tenantID && (recordUUID.map { share.recordUUID == $0 } ?? true)
                    && (attachmentUUID.map { share.attachmentUUID == $0 } ?? true)
                    && (page.after.map { after in
                        share.createdAt < after.time || (share.createdAt == after.time && share.id.lowercasedText > after.id.lowercasedText)
                    } ?? true)
            }
            .sorted { ($1.createdAt, $0.id.lowercasedText) < ($0.createdAt, $1.id.lowercasedText) }
        return page.page(Array(listed.prefix(page.limit + 1))) { .init(time: $0.createdAt, id: $0.id) }
    }

    package func share(tenantID: Int64, id: UUID) -> Share? {
        tables.shares[id].flatMap { $0.share.tenantID == tenantID ? $0.share : nil }
    }

    package func share(tokenHash: String) -> (Share, passwordHash: String?)? {
        tables.shares.values.first { $0.tokenHash == tokenHash }.map { ($0.share, $0.passwordHash) }
    }

    package func updateShare(tenantID: Int64, id: UUID, change: ShareChange, audit: AuditContext) throws -> Share? {
        try transaction { tables in
            guard var row = tables.shares[id], row.share.tenantID == tenantID, row.share.revokedAt == nil else { return nil }
            if let label = change.label { row.share.label = label }
            if let expiresAt = change.expiresAt { row.share.expiresAt = expiresAt?.roundedToMilliseconds }
            if let maxDownloads = change.maxDownloads { row.share.maxDownloads = maxDownloads }
            if let maxFiles = change.maxFiles { row.share.maxFiles = maxFiles }
            if let maxBytes = change.maxBytes { row.share.maxBytes = maxBytes }
            if let passwordHash = change.passwordHash {
                row.passwordHash = passwordHash
                row.share.hasPassword = passwordHash != nil
            }
            row.share.updatedAt = audit.time.roundedToMilliseconds
            tables.shares[id] = row
            try tables.writeAuditEvents([audit.event(.shareUpdate, share: row.share)])
            return row.share
        }
    }

    package func revokeShare(tenantID: Int64, id: UUID, audit: AuditContext) throws -> Share? {
        try transaction { tables in
            guard var row = tables.shares[id], row.share.tenantID == tenantID, row.share.revokedAt == nil else { return nil }
            row.share.revokedAt = audit.time.roundedToMilliseconds
            row.share.updatedAt = row.share.revokedAt ?? row.share.updatedAt
            tables.shares[id] = row
            try tables.writeAuditEvents([audit.event(.shareRevoke, share: row.share)])
            return row.share
        }
    }

    package func countShareDownload(id: UUID, now: Date) -> Share? {
        guard var row = tables.shares[id], row.share.kind == .download, row.share.isLive(at: now), !row.share.isExhausted else { return nil }
        row.share.downloads += 1
        tables.shares[id] = row
        return row.share
    }
}
