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
        let tus = group.group("v1")
            .add(middleware: TusProtocolMiddleware())
            .authenticated(BearerAuthenticationMiddleware(service: service))
        tus.post("uploads", use: createUpload)
        tus.head("uploads/:uuid", use: uploadOffset)
        tus.patch("uploads/:uuid", use: appendToUpload)
        tus.delete("uploads/:uuid", use: terminateUpload)
        tus.get("uploads/:uuid", use: getUpload)
    }

    @Sendable func uploadOptions(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        Response(status: .noContent, headers: [
            .tusVersion: TusRequest.version,
            .tusExtension: TusRequest.extensions,
            .tusMaxSize: String(service.resumableLimits.maximumSize),
            .tusChecksumAlgorithm: ChunkChecksum.Algorithm.allCases.map(\.rawValue).joined(separator: ","),
        ])
    }

    @Sendable func createUpload(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        var upload = try await service.createResumableUpload(principal, try TusRequest.newUpload(request.headers))
        // creation-with-upload: the first bytes may come with the creation.
        if Self.hasBody(request), upload.state == .receiving {
            upload = try await append(request, context: context, to: upload.id, offset: 0)
        }
        var headers = uploadHeaders(upload, request: request)
        headers[.location] = links.url(path: "/v1/uploads/\(upload.id.lowercasedText)", request: request)
        return Response(status: .created, headers: headers)
    }

    @Sendable func uploadOffset(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let upload = try await service.resumableUpload(principal, id: uuidParameter(context, what: "upload"))
        if upload.state == .failed {
            throw AttacheError(.uploadGone, "The upload failed: \(upload.failure ?? "its content was refused").")
        }
        var headers = uploadHeaders(upload, request: request)
        headers[.cacheControl] = "no-store"
        if let metadata = upload.metadata { headers[.uploadMetadata] = metadata }
        switch upload.concatenation {
        case nil: break
        case .partial: headers[.uploadConcat] = "partial"
        case .final(let parts):
            headers[.uploadConcat] = "final;" + parts.map { links.url(path: "/v1/uploads/\($0.lowercasedText)", request: request) }.joined(separator: " ")
        }
        return Response(status: .ok, headers: headers)
    }

    @Sendable func appendToUpload(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        guard let offset = try TusRequest.size(request.headers, .uploadOffset) else {
            throw AttacheError(.invalidInput, "Upload-Offset is required.")
        }
        let upload = try await append(request, context: context, to: uuidParameter(context, what: "upload"), offset: offset)
        return Response(status: .noContent, headers: uploadHeaders(upload, request: request))
    }

    @Sendable func terminateUpload(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        try await service.terminateResumableUpload(principal, id: uuidParameter(context, what: "upload"))
        return Response(status: .noContent)
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

    // MARK: Helpers

    /// Streams the body (`application/offset+octet-stream`) into the upload at `offset`.
    private func append(
        _ request: Request, context: AuthenticatedRequestContext, to id: UUID, offset: Int64
    ) async throws -> ResumableUpload {
        let principal = try context.principal(allowedTo: .write)
        guard HeaderParameters(request.headers[.contentType] ?? "").value == TusRequest.offsetContentType else {
            throw AttacheError(.unsupportedMediaType, "Upload bytes are sent as \(TusRequest.offsetContentType).")
        }
        let length = try TusRequest.size(request.headers, .uploadLength)
        let checksum = try TusRequest.checksum(request.headers[.uploadChecksum])
        return try await service.appendToResumableUpload(principal, id: id, offset: offset, length: length, checksum: checksum) { write in
            try await intake.forEachChunk(of: request, context: context, limit: service.resumableLimits.maximumSize, write)
        }
    }

    /// `Upload-Offset`, the length (or that it is deferred), `Upload-Expires` while receiving, and the
    /// file (and attachment) once stored.
    private func uploadHeaders(_ upload: ResumableUpload, request: Request) -> HTTPFields {
        var headers: HTTPFields = [.uploadOffset: String(upload.offset)]
        if let length = upload.length {
            headers[.uploadLength] = String(length)
        } else {
            headers[.uploadDeferLength] = "1"
        }
        if upload.state == .receiving {
            headers[.uploadExpires] = TimestampFormat.httpDate(upload.expiresAt)
        }
        if let fileID = upload.fileID {
            headers[.attacheFile] = links.url(path: "/v1/files/\(fileID)", request: request)
        }
        if let attachment = upload.attachmentUUID {
            headers[.attacheAttachment] = links.url(path: "/v1/attachments/\(attachment.lowercasedText)", request: request)
        }
        return headers
    }

    /// Whether the request has a body to read (a length above zero, or chunked).
    private static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength] { return length != "0" }
        return request.headers[.transferEncoding] != nil
    }
}
