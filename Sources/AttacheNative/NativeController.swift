import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

/// The native JSON API, `/v1/…`: records, files and attachments. See `openapi.json`.
package struct NativeController: Sendable {
    let faces: FaceServices
    /// The query parameters each operation takes, by `METHOD /v1/path/{pattern}` (from the OpenAPI document).
    let queryParameters: Result<[String: Set<String>], any Error>

    package init(faces: FaceServices, queryParameters: Result<[String: Set<String>], any Error>) {
        self.faces = faces
        self.queryParameters = queryParameters
    }

    var service: AttacheService { faces.service }
    var intake: UploadIntake { faces.intake }
    var links: LinkBuilder { faces.links }
    var content: ContentResponder { faces.content }
    var signedLinks: SignedLinkAuthorizer { faces.signedLinks }

    /// Uploads: `file` parts (several allowed), or a raw body named by `Content-Disposition`.
    static let uploadForm = UploadForm(
        fileParts: .named("file"),
        acceptsRawBody: true,
        missingFile: AttacheError(.missingFile, "The form has no 'file' part.", field: "file")
    )

    /// Adds the routes to `group` under `v1`; errors are rendered by the outer ``ProblemMiddleware``.
    package func addRoutes(to group: FaceRoutes) {
        // Content routes also take a signed link instead of a token (``SignedLinkAuthorizer``).
        let content = group.group("v1").add(middleware: BearerAuthenticationMiddleware(service: service))
            .add(middleware: QueryParameterMiddleware<AttacheRequestContext>(accepted: queryParameters))
        let api = group.group("v1").authenticated(BearerAuthenticationMiddleware(service: service))
            .add(middleware: QueryParameterMiddleware<AuthenticatedRequestContext>(accepted: queryParameters))
        api.post("records", use: createRecord)
        api.get("records", use: listRecords)
        api.get("records/:uuid", use: getRecord)
        api.patch("records/:uuid", use: updateRecord)
        api.delete("records/:uuid", use: deleteRecord)
        api.post("records/:uuid/attachments", use: addAttachments)
        api.get("records/:uuid/attachments", use: listAttachments)
        api.post("files", use: uploadFiles)
        api.get("files", use: listFiles)
        api.get("files/:id", use: getFile)
        api.delete("files/:id", use: deleteFile)
        api.get("attachments/:uuid", use: getAttachment)
        api.patch("attachments/:uuid", use: updateAttachment)
        api.delete("attachments/:uuid", use: deleteAttachment)
        api.post("attachments/:uuid/versions", use: addVersion)
        api.get("attachments/:uuid/versions", use: listVersions)
        api.post("attachments/:uuid/versions/:number/restore", use: restoreVersion)
        api.delete("attachments/:uuid/versions/:number", use: deleteVersion)
        api.get("usage", use: getUsage)
        api.get("me", use: getCaller)
        api.get("audit", use: listAuditEvents)
        api.get("search", use: search)
        api.get("events", use: listChangeEvents)
        api.get("categories", use: listCategories)
        api.post("categories", use: createCategory)
        api.get("categories/:name", use: getCategory)
        api.patch("categories/:name", use: updateCategory)
        api.delete("categories/:name", use: deleteCategory)
        api.post("webhooks", use: createWebhook)
        api.get("webhooks", use: listWebhooks)
        api.get("webhooks/:id", use: getWebhook)
        api.patch("webhooks/:id", use: updateWebhook)
        api.delete("webhooks/:id", use: deleteWebhook)
        api.post("webhooks/:id/secret", use: rotateWebhookSecret)
        api.get("webhooks/:id/deliveries", use: listWebhookDeliveries)
        api.post("webhooks/:id/deliveries/:deliveryId/redeliver", use: redeliverWebhook)
        api.post("attachments/:uuid/shares", use: shareAttachment)
        api.post("records/:uuid/shares", use: shareRecord)
        api.get("shares", use: listShares)
        api.get("shares/:id", use: getShare)
        api.patch("shares/:id", use: updateShare)
        api.delete("shares/:id", use: revokeShare)
        addUploadRoutes(to: group)
        for (suffix, disposition) in [("download", ContentResponder.Disposition.download), ("stream", .stream)] {
            let serveAttachment = { @Sendable (request: Request, context: AttacheRequestContext) in
                try await self.attachmentContent(request, context: context, disposition: disposition)
            }
            let serveFile = { @Sendable (request: Request, context: AttacheRequestContext) in
                try await self.fileContent(request, context: context, disposition: disposition)
            }
            content.get("attachments/:uuid/\(suffix)", use: serveAttachment)
            content.head("attachments/:uuid/\(suffix)", use: serveAttachment)
            content.get("files/:id/\(suffix)", use: serveFile)
            content.head("files/:id/\(suffix)", use: serveFile)
        }
        content.get("attachments/:uuid/versions/:number/download", use: versionContent)
        content.head("attachments/:uuid/versions/:number/download", use: versionContent)
        content.get("attachments/:uuid/thumbnail", use: thumbnail)
        content.head("attachments/:uuid/thumbnail", use: thumbnail)
        content.get("records/:uuid/archive", use: recordArchive)
        content.head("records/:uuid/archive", use: recordArchive)
    }

    // MARK: Shared helpers

    func uuidParameter(_ context: some RequestContext, what: String) throws -> UUID {
        guard let text = context.parameters.get("uuid"), let uuid = UUID(text: text) else {
            throw AttacheError(.notFound, "There is no \(what) \(context.parameters.get("uuid") ?? "").")
        }
        return uuid
    }

    func idParameter(_ context: some RequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text) else {
            throw AttacheError(.notFound, "There is no file \(context.parameters.get("id") ?? "").")
        }
        return id
    }

    /// The `limit` query parameter, if given. - Throws: `invalidInput` when it is not a whole number.
    func limitParameter(_ request: Request) throws(AttacheError) -> Int? {
        guard let text = request.uri.queryParameters["limit"] else { return nil }
        guard let value = Int(text) else {
            throw AttacheError(.invalidInput, "limit must be a whole number.", field: "limit")
        }
        return value
    }

    func pageRequest(_ request: Request) throws -> PageRequest {
        let query = request.uri.queryParameters
        let limit = try limitParameter(request)
        let order = query["order"].map(String.init) ?? "oldest"
        guard order == "oldest" || order == "newest" else {
            throw AttacheError(.invalidInput, "order must be oldest or newest.", field: "order")
        }
        return try PageRequest(limit: limit, cursor: query["cursor"].map(String.init), newestFirst: order == "newest")
    }

    func created(_ body: some ResponseEncodable, request: Request, context: some RequestContext) throws -> Response {
        var response = try body.response(from: request, context: context)
        response.status = .created
        return response
    }
}
