extension AttacheService {
    /// The caller's tenant's attachments that match `query`, best first; quarantined files are found too
    /// (they are listed, never served). - Throws: `forbidden` without a token that may read.
    public func search(_ principal: Principal, _ query: SearchQuery) async throws -> [SearchHit] {
        try principal.require(.read)
        return try await metadata.searchAttachments(tenantID: principal.tenant.id, query: query)
    }
}
