import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

/// Resumable uploads, tus 1.0: `POST /v1/uploads` creates, `HEAD` tells the offset, `PATCH` appends,
/// `DELETE` terminates, `OPTIONS` tells what is spoken; `GET` (JSON) tells what the upload became.
extension NativeController {
    /// Discovery (`OPTIONS`) needs no token; the rest do. Each group has its own middleware.
    func addUploadRoutes(to group: FaceRoutes) {
        let discovery = group.group("v1").add(middleware: TusProtocolMiddleware())
        discovery.on("uploads", method: .options, use: uploadOptions)
        discovery.on("uploads/:uuid", method: .options) { request, context in
            _ = try uuidParameter(context, what: "upload")
            return try await uploadOptions(request, context: context)
        }
        let uploads = group.group("v1")
            .add(middleware: TusProtocolMiddleware())
            .authenticated(BearerAuthenticationMiddleware(service: service))
        uploads.post("uploads", use: createUpload)
        uploads.head("uploads/:uuid", use: uploadOffset)
        uploads.patch("uploads/:uuid", use: appendToUpload)
        uploads.delete("uploads/:uuid", use: terminateUpload)
        uploads.get("uploads/:uuid", use: getUpload)
    }

    /// The tus endpoint at `/v1/uploads`, with every extension.
    var tus: TusEndpoint {
        let links = links
        return TusEndpoint(faces: faces, offer: .complete) { request, _ in links.url(path: "/v1/uploads", request: request) }
    }

    @Sendable func uploadOptions(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        tus.options()
    }

    @Sendable func createUpload(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        return try await tus.create(request, context: context) { new in try await service.createResumableUpload(principal, new) }
    }

    @Sendable func uploadOffset(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        try await tus.offset(request, context: context, id: uuidParameter(context, what: "upload"))
    }

    @Sendable func appendToUpload(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        try await tus.append(request, context: context, id: uuidParameter(context, what: "upload"))
    }

    @Sendable func terminateUpload(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        try await tus.terminate(request, context: context, id: uuidParameter(context, what: "upload"))
    }

    @Sendable func getUpload(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeUpload {
        let principal = context.principal
        let upload = try await service.resumableUpload(principal, id: uuidParameter(context, what: "upload"))
        var file: StoredFile?
        if let fileID = upload.fileID {
            file = try await service.file(principal, id: fileID)
        }
        return NativeUpload(upload, file: file, links: links, tenant: principal.tenant, request: request)
    }
}
