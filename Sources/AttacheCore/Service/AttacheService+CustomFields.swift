import Foundation

extension AttacheService {
    /// Models a custom field can belong to.
    public static let customFieldModels = ["contact", "opportunity"]

    public func createCustomField(_ principal: Principal, _ definition: CustomFieldDefinition) async throws -> CustomField {
        try principal.require(.write)
        try validate(definition)
        let key = definition.model + "." + Self.snakeCase(definition.name)
        return try await metadata.createCustomField(
            tenantID: principal.tenant.id, id: TokenSecret.randomIdentifier(), fieldKey: key, definition: definition
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
        guard let field = try await metadata.updateCustomField(tenantID: principal.tenant.id, id: id, definition: definition) else {
            throw AttacheError(.notFound, "There is no custom field \(id).")
        }
        return field
    }

    /// Deletes a field definition; files already in it stay attached to their records.
    public func deleteCustomField(_ principal: Principal, id: String) async throws {
        try principal.require(.write)
        guard try await metadata.deleteCustomField(tenantID: principal.tenant.id, id: id) else {
            throw AttacheError(.notFound, "There is no custom field \(id).")
        }
    }

    /// Stores files into a record's file custom fields, all or nothing.
    ///
    /// Each field must exist and be a `FILE_UPLOAD` field whose accepted formats include the file's
    /// type; a single-file field keeps only the newest file (earlier ones are removed once the new one
    /// is stored), a multi-file field at most its `maximumFiles`.
    /// - Throws: `invalidInput` naming the offending field.
    public func storeFieldFiles(_ principal: Principal, record: Record, uploads: [(AttachmentSlot, CompletedUpload)]) async throws {
        try principal.require(.write)
        var fields: [String: CustomField] = [:]
        let existing = try await fieldAttachments(principal, record: record)
        for (slot, upload) in uploads {
            let field: CustomField
            if let known = fields[slot.fieldID] {
                field = known
            } else {
                field = try await fileField(principal, id: slot.fieldID)
                fields[slot.fieldID] = field
            }
            let ext = "." + (FileNameSanitizer.fileExtension(of: upload.file.name) ?? "")
            if !field.definition.acceptedFormats.isEmpty, !field.definition.acceptedFormats.contains(where: { $0.lowercased() == ext }) {
                throw AttacheError(.invalidInput, "Custom field \(field.id) accepts only \(field.definition.acceptedFormats.joined(separator: ", ")).", field: slot.fieldID)
            }
        }
        for field in fields.values {
            let incoming = uploads.filter { $0.0.fieldID == field.id }.count
            if !field.definition.allowsMultipleFiles, incoming > 1 {
                throw AttacheError(.invalidInput, "Custom field \(field.id) holds one file.", field: field.id)
            }
            let kept = field.definition.allowsMultipleFiles ? existing.filter { $0.attachment.slot?.fieldID == field.id }.count : 0
            if let limit = field.definition.maximumFiles, kept + incoming > limit {
                throw AttacheError(.invalidInput, "Custom field \(field.id) holds at most \(limit) files.", field: field.id)
            }
        }
        _ = try await storeFiles(
            principal,
            uploads.map(\.1),
            linkTo: AttachmentLink(recordID: record.id, description: nil, slots: uploads.map(\.0))
        )
        let replaced = existing.filter { attached in
            guard let fieldID = attached.attachment.slot?.fieldID, let field = fields[fieldID] else { return false }
            return !field.definition.allowsMultipleFiles
        }
        for attached in replaced {
            try await deleteAttachment(principal, uuid: attached.attachment.uuid)
        }
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
