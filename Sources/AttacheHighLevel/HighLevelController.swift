import AttacheCore
import AttacheHTTP
import AttacheJSON
import Foundation
import HTTPTypes
import Hummingbird

/// The HighLevel face: file custom fields of contacts.
///
/// Choices where the page is silent, following HighLevel's official OpenAPI files:
/// - `contactId` is a contact record's uuid; `locationId` is the tenant's slug and must be the token's
///   tenant (403 otherwise, whatever the slug, so nothing about other tenants shows).
/// - The 200 body is `{contact: {…}}` (`ContactsByIdSuccessfulResponseDto`), as `GET /contacts/{id}`.
/// - Part names are split at the first `_` into custom field id and file id. A single-file field keeps
///   the newest file; a multi-file field at most `maxNumberOfFiles`.
/// - Uploads are held to the page's limits (50 MB, its 16 types) even when the server allows more.
/// - A file's `url` is `/documents/download/{documentId}` on this server; it downloads with the token.
/// - Files attached to the contact through other faces (not in a custom field) are listed in the
///   contact's `attachments` string as comma-separated download URLs.
/// - An unknown contact or custom field id is a 400 (HighLevel documents no 404 for these calls).
/// - NestJS/Express habits: every GET route answers HEAD; a method no route takes is the 404
///   `Cannot METHOD /path` (Express has no 405); a file re-sent into the same `<field>_<file>` slot
///   replaces the one there.
package struct HighLevelController: Sendable {
    let faces: FaceServices

    package init(faces: FaceServices) {
        self.faces = faces
    }

    /// HighLevel's documented limit, 50 MB per file; the page's 16 types are ``FileType/highLevelTypeNames``.
    static let maximumFileSize: Int64 = 52_428_800

    package func addRoutes(to group: FaceRoutes) {
        let face = group.renderingErrors(with: HighLevelError.response)
            .authenticated(BearerAuthenticationMiddleware(service: faces.service))
        face.get("documents/download/:documentId", use: download)
        face.head("documents/download/:documentId", use: download)
        let api = face.group().add(middleware: HighLevelVersionMiddleware())
        api.post("forms/upload-custom-files", use: uploadCustomFiles)
        api.get("contacts/:id", use: getContact)
        api.get("locations/:locationId/customFields", use: listFields)
        api.post("locations/:locationId/customFields", use: createField)
        api.get("locations/:locationId/customFields/:fieldId", use: getField)
        api.put("locations/:locationId/customFields/:fieldId", use: updateField)
        api.delete("locations/:locationId/customFields/:fieldId", use: deleteField)
    }

    @Sendable func uploadCustomFiles(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = context.principal
        let query = request.uri.queryParameters
        guard let contactId = query["contactId"].map(String.init), !contactId.isEmpty else {
            throw AttacheError(.malformedUpload, "contactId should not be empty")
        }
        guard let locationId = query["locationId"].map(String.init), !locationId.isEmpty else {
            throw AttacheError(.malformedUpload, "locationId should not be empty")
        }
        try checkLocation(locationId, principal: principal)
        try principal.require(.write)
        let contact = try await contactRecord(contactId, principal: principal)
        guard try UploadIntake.multipartBoundary(of: request) != nil else {
            throw AttacheError(.malformedUpload, "The request must be multipart/form-data")
        }
        let form = UploadForm(
            fileParts: .any,
            octetStreamPartsAreFiles: true,
            policy: faces.service.policy.narrowed(maximumFileSize: Self.maximumFileSize, allowedTypeNames: FileType.highLevelTypeNames),
            missingFile: AttacheError(.malformedUpload, "No files were uploaded")
        )
        try await faces.intake.receive(request, context: context, for: contact, form: form) { received in
            let slots = try await received.batch.items.map { item throws(AttacheError) in try Self.slot(named: item.fieldName) }
            try await faces.service.storeFieldFiles(principal, record: contact, batch: received.batch, slots: slots)
        }
        return try await contactResponse(contact, principal: principal, request: request)
    }

    @Sendable func getContact(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = context.principal
        let contact = try await contactRecord(context.parameters.get("id") ?? "", principal: principal)
        return try await contactResponse(contact, principal: principal, request: request)
    }

    @Sendable func download(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = context.principal
        guard let id = context.parameters.get("documentId").flatMap(UUID.init(uuidString:)),
            let attached = try await ifFound({ try await faces.service.attachment(principal, uuid: id) })
        else {
            throw AttacheError(.malformedUpload, "Document not found")
        }
        return try await faces.content.respond(to: request, file: attached.file, through: attached, principal: principal, disposition: .download)
    }

    // MARK: Helpers

    /// The slot a file part names: `<custom field id>_<file id>`.
    static func slot(named fieldName: String) throws(AttacheError) -> AttachmentSlot {
        guard let separator = fieldName.firstIndex(of: "_"), separator != fieldName.startIndex,
            fieldName.index(after: separator) != fieldName.endIndex
        else {
            throw AttacheError(.invalidInput, "File field '\(fieldName)' must be named <custom_field_id>_<file_id>")
        }
        return AttachmentSlot(fieldID: String(fieldName[..<separator]), entryKey: String(fieldName[fieldName.index(after: separator)...]))
    }

    func definition(from input: HighLevelJSON.CustomFieldInput, dataType: String) -> CustomFieldDefinition {
        CustomFieldDefinition(
            name: input.name ?? "",
            dataType: dataType,
            placeholder: input.placeholder,
            position: input.position ?? 0,
            model: input.model ?? "contact",
            acceptedFormats: (input.acceptedFormat ?? []).map { $0.hasPrefix(".") ? $0.lowercased() : "." + $0.lowercased() },
            allowsMultipleFiles: input.isMultipleFile ?? false,
            maximumFiles: input.maxNumberOfFiles
        )
    }

    func locationPrincipal(_ context: AuthenticatedRequestContext) throws -> Principal {
        let principal = context.principal
        try checkLocation(context.parameters.get("locationId") ?? "", principal: principal)
        return principal
    }

    private func checkLocation(_ locationId: String, principal: Principal) throws(AttacheError) {
        guard locationId == principal.tenant.slug else {
            throw AttacheError(.forbidden, "The token does not have access to this location.")
        }
    }

    private func contactRecord(_ id: String, principal: Principal) async throws -> Record {
        guard let uuid = UUID(text: id), let record = try await ifFound({ try await faces.service.record(principal, uuid: uuid) }),
            record.type == .contact
        else {
            throw AttacheError(.malformedUpload, "Contact not found")
        }
        return record
    }

    private func contactResponse(_ contact: Record, principal: Principal, request: Request) async throws -> Response {
        let attached = try await faces.service.attachments(
            principal, matching: AttachmentQuery(recordUUIDs: [contact.uuid]), offset: 0, limit: 10_000
        ).items
        var values: [(String, [String: HighLevelJSON.FileEntry])] = []
        var otherFiles: [String] = []
        for item in attached {
            let documentId = item.attachment.uuid.lowercasedText
            guard let slot = item.attachment.slot else {
                otherFiles.append(documentURL(documentId, request: request))
                continue
            }
            let entry = HighLevelJSON.FileEntry(
                meta: .init(
                    fieldname: slot.fieldID, originalname: item.file.name, encoding: "7bit",
                    mimetype: item.file.mimeType, size: item.file.size, uuid: slot.entryKey
                ),
                url: documentURL(documentId, request: request),
                documentId: documentId
            )
            if let index = values.firstIndex(where: { $0.0 == slot.fieldID }) {
                values[index].1[slot.entryKey] = entry
            } else {
                values.append((slot.fieldID, [slot.entryKey: entry]))
            }
        }
        let body = HighLevelJSON.Contact(
            id: contact.uuid.lowercasedText,
            name: contact.title,
            locationId: principal.tenant.slug,
            type: "lead",
            tags: [],
            attachments: otherFiles.joined(separator: ","),
            dateAdded: TimestampFormat.utcFractional(contact.createdAt),
            dateUpdated: TimestampFormat.utcFractional(max(contact.updatedAt, attached.map(\.attachment.updatedAt).max() ?? contact.updatedAt)),
            customFields: values.map { HighLevelJSON.FieldValue(id: $0.0, value: $0.1) }
        )
        return try JSONResponse.make(HighLevelJSON.ContactEnvelope(contact: body))
    }

    private func documentURL(_ documentId: String, request: Request) -> String {
        faces.links.url(path: "/documents/download/\(documentId)", request: request)
    }
}
