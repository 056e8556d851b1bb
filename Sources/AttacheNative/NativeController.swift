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
        let v1 = group.group("v1")
            .add(middleware: BearerAuthenticationMiddleware(service: service))
            .add(middleware: QueryParameterMiddleware(accepted: queryParameters))
        v1.post("records", use: createRecord)
        v1.get("records", use: listRecords)
        v1.get("records/:uuid", use: getRecord)
        v1.patch("records/:uuid", use: updateRecord)
        v1.delete("records/:uuid", use: deleteRecord)
        v1.post("records/:uuid/attachments", use: addAttachments)
        v1.get("records/:uuid/attachments", use: listAttachments)
        v1.post("files", use: uploadFiles)
        v1.get("files", use: listFiles)
        v1.get("files/:id", use: getFile)
        v1.delete("files/:id", use: deleteFile)
        v1.get("attachments/:uuid", use: getAttachment)
        v1.patch("attachments/:uuid", use: updateAttachment)
        v1.delete("attachments/:uuid", use: deleteAttachment)
        v1.get("usage", use: getUsage)
        v1.get("me", use: getCaller)
        v1.get("audit", use: listAuditEvents)
        addUploadRoutes(to: group)
        for (suffix, disposition) in [("download", ContentResponder.Disposition.download), ("stream", .stream)] {
            let serveAttachment = { @Sendable (request: Request, context: AttacheRequestContext) in
                try await self.attachmentContent(request, context: context, disposition: disposition)
            }
            let serveFile = { @Sendable (request: Request, context: AttacheRequestContext) in
                try await self.fileContent(request, context: context, disposition: disposition)
            }
            v1.get("attachments/:uuid/\(suffix)", use: serveAttachment)
            v1.head("attachments/:uuid/\(suffix)", use: serveAttachment)
            v1.get("files/:id/\(suffix)", use: serveFile)
            v1.head("files/:id/\(suffix)", use: serveFile)
        }
    }

    // MARK: Shared helpers

    func uuidParameter(_ context: AttacheRequestContext, what: String) throws -> UUID {
        guard let text = context.parameters.get("uuid"), let uuid = UUID(text: text) else {
            throw AttacheError(.notFound, "There is no \(what) \(context.parameters.get("uuid") ?? "").")
        }
        return uuid
    }

    func idParameter(_ context: AttacheRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text) else {
            throw AttacheError(.notFound, "There is no file \(context.parameters.get("id") ?? "").")
        }
        return id
    }

    func pageRequest(_ request: Request) throws -> PageRequest {
        let query = request.uri.queryParameters
        var limit: Int?
        if let text = query["limit"] {
            guard let value = Int(text) else {
                throw AttacheError(.invalidInput, "limit must be a whole number.", field: "limit")
            }
            limit = value
        }
        let order = query["order"].map(String.init) ?? "oldest"
        guard order == "oldest" || order == "newest" else {
            throw AttacheError(.invalidInput, "order must be oldest or newest.", field: "order")
        }
        return try PageRequest(limit: limit, cursor: query["cursor"].map(String.init), newestFirst: order == "newest")
    }

    func created(_ body: some ResponseEncodable, request: Request, context: AttacheRequestContext) throws -> Response {
        var response = try body.response(from: request, context: context)
        response.status = .created
        return response
    }
}
