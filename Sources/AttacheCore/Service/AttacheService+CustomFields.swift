import Foundation

extension AttacheService {
    /// Models a custom field can belong to.
    public static let customFieldModels = ["contact", "opportunity"]

    public func createCustomField(_ principal: Principal, _ definition: CustomFieldDefinition) async throws -> CustomField {
        try principal.require(.write)
        try validate(definition)
        let key = definition.model + "." + Self.snakeCase(definition.name)
        return try await metadata.createCustomField(
            tenantID: principal.tenant.id, id: TokenSecret.randomIdentifier(), fieldKey: key, definition: definition,
            audit: principal.auditContext()
        )
    }

    public func customFields(_ principal: Principal, model: String?) async throws -> [CustomField] {
        try await metadata.customFields(tenantID: principal.tenant.id, model: model)
    }

    /// - Throws: `notFound`.
    public func customField(_ principal: Principal, id: String) async throws -> CustomField {
        guard let field = try await metadata.customField(tenantID: principal.tenant.id, id: id) else {
            throw AttacheError(.notFound, "There is no custom field \(id).")
        }
        return field
    }

    public func updateCustomField(_ principal: Principal, id: String, _ definition: CustomFieldDefinition) async throws -> CustomField {
        try principal.require(.write)
        try validate(definition)
        guard let field = try await metadata.updateCustomField(tenantID: principal.tenant.id, id: id, definition: definition, audit: principal.auditContext()) else {
            throw AttacheError(.notFound, "There is no custom field \(id).")
        }
        return field
    }

    /// Deletes a field definition; files already in it stay attached to their records.
    public func deleteCustomField(_ principal: Principal, id: String) async throws {
        try principal.require(.write)
        guard try await metadata.deleteCustomField(tenantID: principal.tenant.id, id: id, audit: principal.auditContext()) else {
            throw AttacheError(.notFound, "There is no custom field \(id).")
        }
    }

    /// Stores a batch's files into a record's file custom fields, all or nothing; settles the batch.
    ///
    /// `slots` names the field and entry of each file, in batch order. Each field must exist and be a
    /// `FILE_UPLOAD` field whose accepted formats include the file's type. A file sent again into the
    /// same slot — or into a single-file field that holds a file — becomes the new version of the
    /// attachment there, so the file it replaces is kept as its earlier version (in the same
    /// transaction as the other files; 412 when another change of it came first); a multi-file field
    /// holds at most its `maximumFiles`.
    /// - Throws: `invalidInput` naming the offending field.
    public func storeFieldFiles(_ principal: Principal, record: Record, batch: UploadBatch, slots: [AttachmentSlot]) async throws {
        let replaced: [AttachedFile]
        do {
            replaced = try await checkFieldFiles(principal, record: record, items: batch.items, slots: slots)
        } catch {
            await batch.discard()
            throw error
        }
        // Each replaced attachment takes the first incoming file of its slot, or of its single-file field.
        var versions: [VersionPrecondition?] = []
        var matched = Set<UUID>()
        for slot in slots {
            let target = replaced.first { $0.attachment.slot == slot && !matched.contains($0.attachment.uuid) }
                ?? replaced.first { $0.attachment.slot?.fieldID == slot.fieldID && !matched.contains($0.attachment.uuid) }
            if let target { matched.insert(target.attachment.uuid) }
            versions.append(target.map { VersionPrecondition(attachmentUUID: $0.attachment.uuid, currentSHA256: $0.file.sha256) })
        }
        _ = try await storeFiles(principal, batch, linkTo: AttachmentLink(recordID: record.id, description: nil, slots: slots, newVersions: versions))
    }

    /// Checks files against their fields. - Returns: the existing attachments the files replace.
    private func checkFieldFiles(
        _ principal: Principal, record: Record, items: [UploadBatch.Item], slots: [AttachmentSlot]
    ) async throws -> [AttachedFile] {
        try principal.require(.write)
        guard slots.count == items.count else {
            throw AttacheError(.internal, "Every file needs a custom field slot.")
        }
        var fields: [String: CustomField] = [:]
        let existing = try await fieldAttachments(principal, record: record)
        for (slot, item) in zip(slots, items) {
            let field: CustomField
            if let known = fields[slot.fieldID] {
                field = known
            } else {
                field = try await fileField(principal, id: slot.fieldID)
                fields[slot.fieldID] = field
            }
            let ext = "." + (FileNameSanitizer.fileExtension(of: item.upload.file.name) ?? "")
            if !field.definition.acceptedFormats.isEmpty, !field.definition.acceptedFormats.contains(where: { $0.lowercased() == ext }) {
                throw AttacheError(.invalidInput, "Custom field \(field.id) accepts only \(field.definition.acceptedFormats.joined(separator: ", ")).", field: slot.fieldID)
            }
        }
        let incomingSlots = Set(slots)
        let replaced = existing.filter { attached in
            guard let slot = attached.attachment.slot, let field = fields[slot.fieldID] else { return false }
            return !field.definition.allowsMultipleFiles || incomingSlots.contains(slot)
        }
        let replacedIDs = Set(replaced.map(\.attachment.id))
        for field in fields.values {
            let incoming = Set(slots.filter { $0.fieldID == field.id }).count
            if !field.definition.allowsMultipleFiles, incoming > 1 {
                throw AttacheError(.invalidInput, "Custom field \(field.id) holds one file.", field: field.id)
            }
            let kept = existing.filter { $0.attachment.slot?.fieldID == field.id && !replacedIDs.contains($0.attachment.id) }.count
            if let limit = field.definition.maximumFiles, kept + incoming > limit {
                throw AttacheError(.invalidInput, "Custom field \(field.id) holds at most \(limit) files.", field: field.id)
            }
        }
        return replaced
    }

    /// The record's attachments that sit in custom fields, oldest first.
    public func fieldAttachments(_ principal: Principal, record: Record) async throws -> [AttachedFile] {
        let page = try await metadata.attachments(
            tenantID: principal.tenant.id, matching: AttachmentQuery(recordUUIDs: [record.uuid]), offset: 0, limit: 10_000
        )
        return page.items.filter { $0.attachment.slot != nil }
    }

    private func fileField(_ principal: Principal, id: String) async throws -> CustomField {
        guard let field = try await metadata.customField(tenantID: principal.tenant.id, id: id) else {
            throw AttacheError(.invalidInput, "There is no custom field \(id).", field: id)
        }
        guard field.isFileField else {
            throw AttacheError(.invalidInput, "Custom field \(id) is not a file field.", field: id)
        }
        return field
    }

    private func validate(_ definition: CustomFieldDefinition) throws(AttacheError) {
        guard !definition.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AttacheError(.invalidInput, "name should not be empty", field: "name")
        }
        guard !definition.dataType.isEmpty else {
            throw AttacheError(.invalidInput, "dataType should not be empty", field: "dataType")
        }
        guard Self.customFieldModels.contains(definition.model) else {
            throw AttacheError(.invalidInput, "model must be one of the following values: contact, opportunity", field: "model")
        }
    }

    /// `Lease Documents` → `lease_documents`.
    static func snakeCase(_ name: String) -> String {
        let words = name.lowercased().split { !($0.isLetter || $0.isNumber) }
        return words.joined(separator: "_")
    }
}
