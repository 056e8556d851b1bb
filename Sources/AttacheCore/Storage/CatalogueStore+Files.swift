extension CatalogueStore {
    /// Stores files that complete no resumable upload.
    public func insertFiles(
        _ files: [NewFile], tenantID: Int64, link: AttachmentLink?, claims: [BlobAddress: BlobClaim], audit: AuditContext
    ) async throws -> [(StoredFile, Attachment?)] {
        try await insertFiles(files, tenantID: tenantID, link: link, claims: claims, completing: nil, audit: audit)
    }
}
