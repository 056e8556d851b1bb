import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

/// The PropertyDeck face: attachments of contacts and properties.
///
/// Choices where the page is silent:
/// - Relational filters use bracket syntax, `contact[uuid]=…`, `property[uuid]=…`, as `uuid[]=` does.
/// - `download_url` and `stream_url` are absolute, signed links on this server
///   (`/attachments/{uuid}/download|stream`) that open in a browser without a token.
/// - Errors are Laravel's JSON: 401 `{"message":"Unauthenticated."}`, 403, 404, and 422 with `errors`
///   for validation (a missing `upload`, a file too large or of a refused type).
/// - `GET /attachments` lists the attachments of contacts and properties only.
/// - Laravel habits: `upload` is `required` (a blank file input fails it, 422); `page` past the end is
///   an empty page; filters only narrow — an unknown relational filter is a 422, contact and property
///   filters together match nothing; a wrong method is Laravel's 405 message with `Allow`.
package struct PropertyDeckController: Sendable {
    let faces: FaceServices

    package init(faces: FaceServices) {
        self.faces = faces
    }
    /// Where the face is mounted, for its content links.

    static let defaultPerPage = 10
    static let maximumPerPage = 100

    package func addRoutes(to group: FaceRoutes) {
        let face = group.renderingErrors(with: Self.error)
        let api = face.authenticated(BearerAuthenticationMiddleware(service: faces.service))
        // Content routes also take a signed link instead of a token (``SignedLinkAuthorizer``).
        let contentRoutes = face.add(middleware: BearerAuthenticationMiddleware(service: faces.service))
        api.get("attachments", use: list)
        api.get("attachments/:uuid", use: get)
        api.put("attachments/:uuid", use: update)
        api.delete("attachments/:uuid", use: delete)
        api.post("contacts/:id/attachments") { request, context in try await create(request, context: context, type: .contact) }
        api.post("properties/:id/attachments") { request, context in try await create(request, context: context, type: .property) }
        for (suffix, disposition) in [("download", ContentResponder.Disposition.download), ("stream", .stream)] {
            let serve = { @Sendable (request: Request, context: AttacheRequestContext) in
                try await content(request, context: context, disposition: disposition)
            }
            contentRoutes.get("attachments/:uuid/\(suffix)", use: serve)
            contentRoutes.head("attachments/:uuid/\(suffix)", use: serve)
        }
    }

    @Sendable func list(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .read)
        let query = QueryItems(request)
        // A relational filter this face cannot apply must not be ignored: that would widen the result.
        let supported: Set<String> = ["contact[uuid]", "contact[uuid][]", "property[uuid]", "property[uuid][]"]
        if let unknown = query.keys.first(where: { ($0.hasPrefix("contact[") || $0.hasPrefix("property[") || $0.hasPrefix("filter[")) && !supported.contains($0) }) {
            throw AttacheError(.invalidInput, "The \(unknown) filter is not supported.", field: unknown)
        }
        var filter = AttachmentQuery(recordTypes: [.contact, .property])
        filter.uuids = try (query.all("uuid") + query.all("uuid[]")).map { try uuid($0, field: "uuid") }
        let contacts = query.all("contact[uuid]") + query.all("contact[uuid][]")
        let properties = query.all("property[uuid]") + query.all("property[uuid][]")
        filter.recordUUIDs = try (contacts + properties).map { try uuid($0, field: "uuid") }
        if !contacts.isEmpty, properties.isEmpty { filter.recordTypes = [.contact] }
        if contacts.isEmpty, !properties.isEmpty { filter.recordTypes = [.property] }
        let perPage = min(max(query.last("per_page").flatMap(Int.init) ?? Self.defaultPerPage, 1), Self.maximumPerPage)
        // Laravel's paginator takes any page that is a whole number ≥ 1, else 1; a page past the end is empty.
        let page = max(query.last("page").flatMap(Int.init) ?? 1, 1)
        let (skipped, overflow) = (page - 1).multipliedReportingOverflow(by: perPage)
        // Filters narrow one another: an attachment belongs to one record, so a contact filter and a
        // property filter together match nothing.
        let result = !contacts.isEmpty && !properties.isEmpty
            ? CountedPage(items: [], total: 0)
            : try await faces.service.attachments(principal, matching: filter, offset: overflow ? Int.max : skipped, limit: perPage)
        let items = result.items.map { render($0, principal: principal, request: request) }
        let pagination = PropertyDeckEnvelope<[PropertyDeckAttachment]>.Pagination(
            total: result.total, count: items.count, perPage: perPage, currentPage: page,
            totalPages: max(1, (result.total + perPage - 1) / perPage)
        )
        return try JSONResponse.make(PropertyDeckEnvelope(data: items, meta: .init(pagination: pagination)))
    }

    @Sendable func get(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .read)
        let attached = try await attachment(context, principal: principal)
        return try JSONResponse.make(PropertyDeckEnvelope(data: render(attached, principal: principal, request: request), meta: nil))
    }

    struct UpdateRequest: Decodable {
        var description: String??

        enum CodingKeys: String, CodingKey {
            case description
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            do {
                description = try container.decodeNullable(String.self, forKey: .description)
            } catch {
                throw AttacheError(.invalidInput, "The description must be a string.", field: "description")
            }
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let current = try await attachment(context, principal: principal)
        // Laravel reads JSON or a form alike.
        let input = try await RequestBodyDecoder(acceptsForms: true).decode(UpdateRequest.self, from: request)
        let updated = try await faces.service.updateAttachment(principal, uuid: current.attachment.uuid, description: input.description, fileName: nil)
        return try JSONResponse.make(PropertyDeckEnvelope(data: render(updated, principal: principal, request: request), meta: nil))
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let current = try await attachment(context, principal: principal)
        try await faces.service.deleteAttachment(principal, uuid: current.attachment.uuid)
        return Response(status: .noContent)
    }

    /// The `upload` file (Laravel's `$request->file('upload')`: the name as sent, one file; a blank file
    /// input is no file, which the `required` rule refuses).
    static let uploadForm = UploadForm(
        fileParts: .named("upload"),
        firstFileOnly: true,
        missingFile: AttacheError(.invalidInput, "The upload field is required.", field: "upload")
    )

    func create(_ request: Request, context: AuthenticatedRequestContext, type: RecordType) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
            let record = try await ifFound({ try await faces.service.record(principal, uuid: id) }), record.type == type
        else {
            throw AttacheError(.notFound, "Not Found")
        }
        let stored = try await faces.intake.receive(request, context: context, for: record, form: Self.uploadForm) { received in
            let description = received.field("description").flatMap { $0.isEmpty ? nil : $0 }
            return try await faces.service.storeFiles(principal, received.batch, linkTo: AttachmentLink(recordID: record.id, description: description))
        }
        guard let (file, attachment) = stored.first, let attachment else {
            throw AttacheError(.internal, "The attachment was not stored.")
        }
        let attached = AttachedFile(attachment: attachment, file: file, record: record)
        return try JSONResponse.make(PropertyDeckEnvelope(data: render(attached, principal: principal, request: request), meta: nil), status: .created)
    }

    func content(_ request: Request, context: AttacheRequestContext, disposition: ContentResponder.Disposition) async throws -> Response {
        let principal = try await faces.signedLinks.principal(for: request, context: context)
        let attached = try await attachment(context, principal: principal)
        return try await faces.content.respond(to: request, file: attached.file, through: attached, principal: principal, disposition: disposition)
    }

    /// The attachment named in the path, if it belongs to one of the tenant's contacts or properties.
    private func attachment(_ context: some RequestContext, principal: Principal) async throws -> AttachedFile {
        guard let id = context.parameters.get("uuid").flatMap(UUID.init(uuidString:)),
            let attached = try await ifFound({ try await faces.service.attachment(principal, uuid: id) }),
            [.contact, .property].contains(attached.record.type)
        else {
            throw AttacheError(.notFound, "Not Found")
        }
        return attached
    }

    private func render(_ attached: AttachedFile, principal: Principal, request: Request) -> PropertyDeckAttachment {
        PropertyDeckAttachment(attached, faces: faces, tenant: principal.tenant, request: request)
    }

    private func uuid(_ text: String, field: String) throws(AttacheError) -> UUID {
        guard let uuid = UUID(text: text) else {
            throw AttacheError(.invalidInput, "The \(field) must be a valid UUID.", field: field)
        }
        return uuid
    }

    static func error(_ error: AttacheError, request: Request, context: AttacheRequestContext) throws -> Response {
        switch error.code {
        case .unauthenticated:
            return try JSONResponse.make(PropertyDeckError(message: "Unauthenticated."), status: .unauthorized)
        case .forbidden:
            return try JSONResponse.make(PropertyDeckError(message: "This action is unauthorized."), status: .forbidden)
        case .notFound:
            return try JSONResponse.make(PropertyDeckError(message: "Not Found"), status: .notFound)
        case .methodNotAllowed:
            // Laravel's MethodNotAllowedHttpException, rendered as JSON.
            return try JSONResponse.make(PropertyDeckError(message: error.message), status: .methodNotAllowed)
        case .tooManyRequests:
            // Laravel's ThrottleRequests middleware.
            return try JSONResponse.make(PropertyDeckError(message: "Too Many Attempts."), status: .tooManyRequests, headers: error.rateLimitHeaders)
        case .internal, .storageUnavailable, .scanUnavailable:
            return try JSONResponse.make(PropertyDeckError(message: "Server Error"), status: error.code.httpStatus)
        default:
            let errors = error.fieldErrors.isEmpty ? ["upload": [error.message]] : error.fieldErrors
            return try JSONResponse.make(PropertyDeckError(message: error.message, errors: errors), status: .unprocessableContent)
        }
    }
}
