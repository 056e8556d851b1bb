public import Foundation

extension AttacheService {
    /// Links existing files to a record.
    /// - Throws: `notFound` for an unknown record or file id, `invalidInput` for an empty list.
    public func attach(_ principal: Principal, fileIDs: [Int64], toRecord recordID: Int64, description: String?) async throws -> [AttachedFile] {
        try principal.require(.write)
        guard !fileIDs.isEmpty else {
            throw AttacheError(.invalidInput, "fileIds must name at least one file.", field: "fileIds")
        }
        let record = try await record(principal, id: recordID)
        return try await metadata.attach(
            fileIDs: fileIDs,
            tenantID: principal.tenant.id,
            link: AttachmentLink(recordID: record.id, description: description),
            audit: principal.auditContext()
        )
    }

    /// The attachment with this uuid. - Throws: `notFound`.
    public func attachment(_ principal: Principal, uuid: UUID) async throws -> AttachedFile {
        guard let attached = try await metadata.attachment(tenantID: principal.tenant.id, uuid: uuid) else {
            throw AttacheError(.notFound, "There is no attachment \(uuid.lowercasedText).")
        }
        return attached
    }

    /// A record's attachments, oldest first, those that match `labels` only.
    public func attachments(_ principal: Principal, ofRecord recordID: Int64, page: PageRequest, labels: AttachmentLabelFilter = .any) async throws -> Page<AttachedFile> {
        try await metadata.attachments(tenantID: principal.tenant.id, recordID: recordID, page: page, labels: labels)
    }

    /// Changes an attachment's description and/or its file's name, and/or moves it to another record
    /// of the tenant's. A new name keeps the file's type, as an upload's name must match its content:
    /// `lease` becomes `lease.pdf`, `lease.exe` is refused.
    /// - Throws: `notFound`; `conflict` (field `name`) for a name of another type, and when the record to
    ///   move to has the file already.
    public func updateAttachment(
        _ principal: Principal, uuid: UUID, description: String??, fileName: String?, moveTo recordUUID: UUID? = nil, category: String?? = nil,
        tags: [String]? = nil, expiresOn: Date?? = nil, legalHold: Bool? = nil
    ) async throws -> AttachedFile {
        try principal.require(.write)
        var change = AttachmentChange(
            description: description, category: category, tags: try tags.map { try AttachmentTags.normalized($0) }, expiresOn: expiresOn, legalHold: legalHold
        )
        if let fileName {
            change.fileName = try Self.rename(try await attachment(principal, uuid: uuid).file, to: fileName)
        }
        if let recordUUID {
            change.recordID = try await record(principal, uuid: recordUUID).id
        }
        if case .some(.some(let name)) = category { try Category.checkName(name, field: "category") }
        guard let updated = try await metadata.updateAttachment(tenantID: principal.tenant.id, uuid: uuid, change: change, audit: principal.auditContext()) else {
            throw AttacheError(.notFound, "There is no attachment \(uuid.lowercasedText).")
        }
        return updated
    }

    /// Removes an attachment; its file goes too when this was its last link.
    @discardableResult
    public func deleteAttachment(_ principal: Principal, uuid: UUID) async throws -> AttachedFile {
        try principal.require(.write)
        guard let removed = try await metadata.deleteAttachment(tenantID: principal.tenant.id, uuid: uuid, audit: principal.auditContext()) else {
            throw AttacheError(.notFound, "There is no attachment \(uuid.lowercasedText).")
        }
        return removed
    }
}

extension AttacheService {
    /// Attachments across the tenant's records, oldest first, by offset, with the total.
    public func attachments(_ principal: Principal, matching query: AttachmentQuery, offset: Int, limit: Int) async throws -> CountedPage<AttachedFile> {
        try await metadata.attachments(tenantID: principal.tenant.id, matching: query, offset: max(offset, 0), limit: max(limit, 1))
    }

    /// `file`'s new name, sanitised and of the file's own type (its extension added when it has none).
    /// - Throws: `conflict` (field `name`) when the name's extension names another type than the file's.
    static func rename(_ file: StoredFile, to requested: String) throws(AttacheError) -> String {
        let name = FileNameSanitizer.sanitize(requested)
        guard let type = FileType.catalog.first(where: { $0.mimeType == file.mimeType }) else { return name }
        if let ext = FileNameSanitizer.fileExtension(of: name), !type.matches(extension: ext) {
            throw AttacheError(
                .conflict, "'\(name)' is not a name for a .\(type.name) file: a rename keeps the file's type.", field: "name"
            )
        }
        return type.fileName(for: name)
    }
}
