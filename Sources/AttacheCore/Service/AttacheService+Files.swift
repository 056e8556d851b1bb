public import NIOCore

extension AttacheService {
    /// The file with this id. - Throws: `notFound`.
    public func file(_ principal: Principal, id: Int64) async throws -> StoredFile {
        guard let file = try await metadata.file(tenantID: principal.tenant.id, id: id) else {
            throw AttacheError(.notFound, "There is no file \(id).")
        }
        return file
    }

    /// Deletes a file and all its attachments.
    @discardableResult
    public func deleteFile(_ principal: Principal, id: Int64) async throws -> StoredFile {
        try principal.require(.write)
        guard let file = try await metadata.deleteFile(tenantID: principal.tenant.id, id: id, release: releaseBlob) else {
            throw AttacheError(.notFound, "There is no file \(id).")
        }
        return file
    }

    /// Streams a byte range of a file's content to `consume`.
    public func readContent(
        of file: StoredFile,
        range: Range<Int64>,
        into consume: (ByteBuffer) async throws -> Void
    ) async throws {
        try await blobs.read(file.blobAddress, range: range, into: consume)
    }
}
