package import AttacheCore
package import Foundation

/// ``ResumableUploadStore``: one appender at a time, and only at the upload's offset.
extension InMemoryMetadataStore {
    package func createResumableUpload(_ new: NewResumableUpload, id: UUID, tenantID: Int64, createdAt: Date, expiresAt: Date) throws -> ResumableUpload {
        try transaction { tables in
            guard tables.resumableUploads[id] == nil else { throw InMemoryStoreError.constraint("resumable_uploads.id") }
            // A final concatenation has its parts' bytes from the start.
            let received: Int64 = if case .final = new.concatenation { new.length ?? 0 } else { 0 }
            var upload = ResumableUpload(
                id: id, tenantID: tenantID, length: new.length, offset: received, metadata: new.metadata, fileName: new.fileName,
                description: new.description, recordUUID: new.recordUUID, concatenation: new.concatenation, createdAt: createdAt.roundedToMilliseconds,
                expiresAt: expiresAt.roundedToMilliseconds, state: .receiving, dropShare: new.dropShare, newVersionOf: new.newVersionOf
            )
            upload.category = new.category
            upload.tags = new.tags
            tables.resumableUploads[id] = InMemoryTables.ResumableRow(upload: upload)
            return upload
        }
    }

    package func resumableUpload(tenantID: Int64, id: UUID) -> ResumableUpload? {
        tables.resumableUploads[id].flatMap { $0.upload.tenantID == tenantID ? $0.upload : nil }
    }

    package func resumableReservation(tenantID: Int64, excluding: UUID?) -> Int64 {
        tables.resumableUploads.values
            .filter { $0.upload.tenantID == tenantID && $0.upload.state == .receiving && $0.upload.id != excluding }
            .reduce(0) { $0 + ($1.upload.length ?? $1.upload.offset) }
    }

    package func lockResumableUpload(tenantID: Int64, id: UUID, at offset: Int64, holder: String, now: Date, until: Date) -> ResumableUpload? {
        guard var row = tables.resumableUploads[id], row.upload.tenantID == tenantID, row.upload.state == .receiving, row.upload.offset == offset,
            row.lockHolder == nil || row.lockHolder == holder || (row.lockUntil ?? .distantPast) < now
        else { return nil }
        row.lockHolder = holder
        row.lockUntil = until
        tables.resumableUploads[id] = row
        return row.upload
    }

    package func unlockResumableUpload(id: UUID, holder: String) {
        guard tables.resumableUploads[id]?.lockHolder == holder else { return }
        tables.resumableUploads[id]?.unlock()
    }

    package func registerResumableStaging(id: UUID, holder: String, stagingKey: String) -> Bool {
        guard tables.resumableUploads[id]?.lockHolder == holder else { return false }
        tables.resumableUploads[id]?.lockStagingKey = stagingKey
        return true
    }

    package func appendResumablePart(
        tenantID: Int64, id: UUID, part: ResumablePart, holder: String, length: Int64?, expiresAt: Date
    ) -> ResumableUpload? {
        guard var row = tables.resumableUploads[id], row.upload.tenantID == tenantID, row.upload.state == .receiving, row.lockHolder == holder,
            row.upload.offset == part.offset
        else { return nil }
        row.upload.offset += part.staged.size
        row.upload.length = row.upload.length ?? length
        row.upload.expiresAt = expiresAt.roundedToMilliseconds
        row.unlock()
        if part.staged.size > 0 { row.parts.append(part) }
        tables.resumableUploads[id] = row
        return row.upload
    }

    package func resumableParts(id: UUID) -> [ResumablePart] {
        (tables.resumableUploads[id]?.parts ?? []).sorted { $0.offset < $1.offset }
    }

    package func failResumableUpload(tenantID: Int64, id: UUID, reason: String) -> [ResumablePart] {
        let parts = resumableParts(id: id)
        if var row = tables.resumableUploads[id], row.upload.tenantID == tenantID, row.upload.state == .receiving {
            row.upload.state = .failed
            row.upload.failure = reason
            row.unlock()
            tables.resumableUploads[id] = row
        }
        tables.resumableUploads[id]?.parts = []
        return parts
    }

    package func deleteResumableUpload(tenantID: Int64, id: UUID) -> [ResumablePart]? {
        guard let row = tables.resumableUploads[id], row.upload.tenantID == tenantID else { return nil }
        tables.resumableUploads[id] = nil
        return row.parts.sorted { $0.offset < $1.offset }
    }

    package func deleteExpiredResumableUploads(before cutoff: Date) -> [ResumablePart] {
        let expired = tables.resumableUploads.values.filter { $0.upload.expiresAt < cutoff }
        for row in expired { tables.resumableUploads[row.upload.id] = nil }
        return expired.flatMap { $0.parts.sorted { $0.offset < $1.offset } }
    }

    package func resumableStagingKeys() -> Set<String> {
        Set(tables.resumableUploads.values.flatMap { row in row.parts.map(\.staged.stagingKey) + (row.lockStagingKey.map { [$0] } ?? []) })
    }
}
