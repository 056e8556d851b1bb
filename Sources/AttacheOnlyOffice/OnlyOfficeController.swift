import AttacheCore
import AttacheHTTP
import AttacheJSON
import Foundation
import HTTPTypes
import Hummingbird

/// The ONLYOFFICE CRM face: attach files to contacts, opportunities and cases, and the sibling calls a
/// client needs (upload, list, delete, download, sign in).
///
/// Choices where the page is silent, following the Community Server source:
/// - `entityid` is the record's numeric `id`; the record's type must match `entityType` (else 404).
/// - Attaching creates a history event in the system category "Files upload" (id -2); its `ID` is the
///   first new attachment's id, and `Created` its time. The author is the signed-in user (the tenant for a token made with the CLI).
/// - `POST …/files/upload` stores the file without attaching it (as the portal does); its `ID` goes into
///   `fileids`. Multipart takes every file part (the last one is returned); a raw body is named by
///   `Content-Disposition`.
/// - Files download from `/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=N` with
///   the token; `Location` and `viewUrl` point there.
/// - `Authorization: <token>` (no scheme) and `Bearer <token>` are both accepted.
/// - ASP.NET habits: `{entityid:int}` routing (not a 32-bit number → 404; 0 or less → 400
///   `ArgumentException`), query keys of any case, every part with a file name is a file, a blank file
///   input is none, a wrong method is 405 in the portal's envelope with `Allow`.
package struct OnlyOfficeController: Sendable {
    let faces: FaceServices
    let responder: OnlyOfficeResponder

    package init(faces: FaceServices, format: OnlyOfficeWireFormat) {
        self.faces = faces
        self.responder = OnlyOfficeResponder(format: format, links: faces.links)
    }

    package func addRoutes(to group: FaceRoutes) {
        let face = group.renderingErrors(with: OnlyOfficeResponder.error)
        face.post("api/2.0/authentication", use: signIn)
        face.post("api/2.0/authentication.json", use: signIn)
        let api = face.authenticated(BearerAuthenticationMiddleware(service: faces.service, acceptsBareToken: true))
        api.post("api/2.0/crm/:entityType/:entityid/files", use: attachFiles)
        api.post("api/2.0/crm/:entityType/:entityid/files.json", use: attachFiles)
        api.get("api/2.0/crm/:entityType/:entityid/files", use: listFiles)
        api.get("api/2.0/crm/:entityType/:entityid/files.json", use: listFiles)
        api.post("api/2.0/crm/:entityType/:entityid/files/upload", use: uploadFile)
        api.post("api/2.0/crm/:entityType/:entityid/files/upload.json", use: uploadFile)
        api.delete("api/2.0/crm/files/:fileid", use: deleteFile)
        api.get("Products/Files/HttpHandlers/filehandler.ashx", use: download)
        api.head("Products/Files/HttpHandlers/filehandler.ashx", use: download)
    }

    /// ASP.NET binds `userName`, `username` or `UserName`, from JSON or a form: the keys are folded.
    struct SignInRequest: Decodable {
        var username: String?
        var password: String?
    }

    /// How ASP.NET reads bodies: JSON or a form, member names in any case.
    static let bodies = RequestBodyDecoder(keys: .caseInsensitive, acceptsForms: true)

    struct SignInToken: Encodable {
        var token: String
        var expires: String
    }

    struct AttachRequest: Decodable {
        var fileids: [Int64]?
    }

    /// Always in the envelope, with 201, as ONLYOFFICE documents this call.
    @Sendable func signIn(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let input = try await Self.bodies.decode(SignInRequest.self, from: request)
        guard let user = input.username, let password = input.password,
            let (token, secret) = try await faces.service.signIn(kind: .onlyoffice, identifier: user, secret: password, origin: context.origin)
        else {
            throw AttacheError(.unauthenticated, "User authentication failed")
        }
        let payload = SignInToken(token: secret, expires: TimestampFormat.utcFractional(token.expiresAt ?? Date()))
        return try JSONResponse.make(OnlyOfficeEnvelope(count: 1, status: 0, statusCode: 201, response: payload), status: .created)
    }

    @Sendable func attachFiles(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let (entity, record) = try await entityRecord(context, principal: principal)
        let input = try await Self.bodies.decode(AttachRequest.self, from: request)
        guard let ids = input.fileids, !ids.isEmpty else {
            throw AttacheError(.invalidInput, "fileids is empty.", field: "fileids")
        }
        let attached = try await faces.service.attach(principal, fileIDs: ids, toRecord: record.id, description: nil)
        let event = responder.event(record: record, entity: entity, attached: attached, author: OnlyOfficeResponder.author(for: principal), request: request)
        return try responder.success(event, created: true)
    }

    @Sendable func listFiles(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = context.principal
        let (_, record) = try await entityRecord(context, principal: principal)
        let page = try await faces.service.attachments(principal, matching: AttachmentQuery(recordUUIDs: [record.uuid]), offset: 0, limit: 10_000)
        let author = OnlyOfficeResponder.author(for: principal)
        let files = page.items.map { responder.file($0.file, by: author, request: request) }
        return try responder.success(files, count: files.count)
    }

    /// Every file part of a form (ASP.NET's `Request.Files`), or a raw body named by `Content-Disposition`.
    static let uploadForm = UploadForm(
        fileParts: .any,
        caseInsensitiveNames: true,
        acceptsRawBody: true,
        missingFile: AttacheError(.missingFile, "No file was posted.", field: "file")
    )

    @Sendable func uploadFile(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let (_, record) = try await entityRecord(context, principal: principal)
        let stored = try await faces.intake.receive(request, context: context, for: record, form: Self.uploadForm) { received in
            try await faces.service.storeFiles(principal, received.batch)
        }
        guard let last = stored.last?.0 else {
            throw AttacheError(.internal, "The file was not stored.")
        }
        return try responder.success(responder.file(last, by: OnlyOfficeResponder.author(for: principal), request: request), created: true)
    }

    @Sendable func deleteFile(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        guard let id = context.parameters.get("fileid").flatMap({ Int64($0) }), id > 0 else {
            throw AttacheError(.notFound, ErrorTranslation.noRouteMessage)
        }
        let file = try await faces.service.deleteFile(principal, id: id)
        return try responder.success(responder.file(file, by: OnlyOfficeResponder.author(for: principal), request: request))
    }

    @Sendable func download(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = context.principal
        let query = QueryItems(request, caseInsensitive: true)
        guard query.first("action")?.lowercased() == "download" else {
            throw AttacheError(.invalidInput, "action must be download.", field: "action")
        }
        guard let id = query.first("fileid").flatMap({ Int64($0) }) else {
            throw AttacheError(.invalidInput, "fileid must be a number.", field: "fileid")
        }
        let file = try await faces.service.file(principal, id: id)
        return try await faces.content.respond(to: request, file: file, principal: principal, disposition: .download)
    }

    /// The record behind `{entityType}/{entityid}`.
    ///
    /// ONLYOFFICE routes `{entityid:int}`: text that is not a 32-bit integer matches no route (404); an
    /// id of 0 or less reaches the handler, which refuses it as an argument error (400).
    /// - Throws: `notFound` for a bad type, id or record; `invalidInput` for an id ≤ 0.
    private func entityRecord(_ context: some RequestContext, principal: Principal) async throws -> (OnlyOfficeEntity, Record) {
        guard let entity = OnlyOfficeEntity(rawValue: context.parameters.get("entityType") ?? ""),
            let text = context.parameters.get("entityid"), let id = Int32(text)
        else {
            throw AttacheError(.notFound, ErrorTranslation.noRouteMessage)
        }
        guard id > 0 else {
            throw AttacheError(.invalidInput, "entityid must be a positive number.", field: "entityid")
        }
        let record = try await faces.service.record(principal, id: Int64(id))
        guard record.type == entity.recordType else {
            throw AttacheError(.notFound, "There is no \(entity.rawValue) \(id).")
        }
        return (entity, record)
    }
}
