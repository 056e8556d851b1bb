public import AttacheCore
import AttacheJSON
import Foundation
public import HTTPTypes
public import Hummingbird

/// tus 1.0 resumable uploads as every face that offers them speaks it: `OPTIONS` tells what is
/// spoken, `POST` creates (with the first bytes, if sent), `HEAD` tells the offset, `PATCH` appends,
/// `DELETE` terminates. The face finds the caller (a bearer token, a drop link) and says how an upload
/// is made for it; everything else — headers, the body's type, streaming into the core — is here.
package struct TusEndpoint: Sendable {
    /// What a face offers: its extensions and whether its answers name what an upload became.
    package struct Offer: Sendable {
        /// `Tus-Extension`.
        package var extensions: String
        /// Whether answers name the stored file and attachment (`Attache-File`, `Attache-Attachment`):
        /// a drop link shows nothing of what it took.
        package var namesStoredFile: Bool

        /// Everything: the native API.
        package static let complete = Offer(
            extensions: "creation,creation-with-upload,creation-defer-length,termination,expiration,checksum,concatenation", namesStoredFile: true
        )
        /// Whole files of a declared length, and nothing shown back: drop links.
        package static let dropLink = Offer(extensions: "creation,creation-with-upload,termination,expiration,checksum", namesStoredFile: false)
    }

    let faces: FaceServices
    let offer: Offer
    /// The absolute URL of the collection the request's uploads live in (an upload is that plus `/<id>`).
    let collectionURL: @Sendable (Request, AuthenticatedRequestContext) -> String

    package init(faces: FaceServices, offer: Offer, collectionURL: @escaping @Sendable (Request, AuthenticatedRequestContext) -> String) {
        self.faces = faces
        self.offer = offer
        self.collectionURL = collectionURL
    }

    var service: AttacheService { faces.service }

    /// `OPTIONS`: the version, extensions, largest upload and checksum algorithms.
    package func options() -> Response {
        Response(status: .noContent, headers: [
            .tusVersion: TusRequest.version,
            .tusExtension: offer.extensions,
            .tusMaxSize: String(service.resumableLimits.maximumSize),
            .tusChecksumAlgorithm: ChunkChecksum.Algorithm.allCases.map(\.rawValue).joined(separator: ","),
        ])
    }

    /// `POST`: makes the upload with `make` (which holds the face's rules for whom it is made), takes
    /// the bytes that came with the creation, and answers `201` with its `Location`.
    package func create(
        _ request: Request, context: AuthenticatedRequestContext, make: (NewResumableUpload) async throws -> ResumableUpload
    ) async throws -> Response {
        var upload = try await make(try TusRequest.newUpload(request.headers))
        // creation-with-upload: the first bytes may come with the creation.
        if Self.hasBody(request), upload.state == .receiving {
            upload = try await append(request, context: context, to: upload.id, offset: 0)
        }
        var headers = uploadHeaders(upload, request: request, context: context)
        headers[.location] = uploadURL(upload.id, request: request, context: context)
        return Response(status: .created, headers: headers)
    }

    /// `HEAD`: the offset (and the length, metadata and concatenation), never cached.
    package func offset(_ request: Request, context: AuthenticatedRequestContext, id: UUID) async throws -> Response {
        let upload = try await service.resumableUpload(try context.principal(allowedTo: .write), id: id)
        if upload.state == .failed {
            throw AttacheError(.uploadGone, "The upload failed: \(upload.failure ?? "its content was refused").")
        }
        var headers = uploadHeaders(upload, request: request, context: context)
        headers[.cacheControl] = "no-store"
        if let metadata = upload.metadata { headers[.uploadMetadata] = metadata }
        switch upload.concatenation {
        case nil: break
        case .partial: headers[.uploadConcat] = "partial"
        case .final(let parts):
            headers[.uploadConcat] = "final;" + parts.map { uploadURL($0, request: request, context: context) }.joined(separator: " ")
        }
        return Response(status: .ok, headers: headers)
    }

    /// `PATCH`: appends the body at `Upload-Offset`; `204` with the new offset.
    package func append(_ request: Request, context: AuthenticatedRequestContext, id: UUID) async throws -> Response {
        guard let offset = try TusRequest.size(request.headers, .uploadOffset) else {
            throw AttacheError(.invalidInput, "Upload-Offset is required.")
        }
        let upload = try await append(request, context: context, to: id, offset: offset)
        return Response(status: .noContent, headers: uploadHeaders(upload, request: request, context: context))
    }

    /// `DELETE`: terminates the upload and drops what it staged; `204`.
    package func terminate(_ request: Request, context: AuthenticatedRequestContext, id: UUID) async throws -> Response {
        try await service.terminateResumableUpload(try context.principal(allowedTo: .write), id: id)
        return Response(status: .noContent)
    }

    // MARK: Helpers

    func uploadURL(_ id: UUID, request: Request, context: AuthenticatedRequestContext) -> String {
        collectionURL(request, context) + "/" + id.lowercasedText
    }

    /// Streams the body (`application/offset+octet-stream`) into the upload at `offset`.
    private func append(_ request: Request, context: AuthenticatedRequestContext, to id: UUID, offset: Int64) async throws -> ResumableUpload {
        let principal = try context.principal(allowedTo: .write)
        guard HeaderParameters(request.headers[.contentType] ?? "").value == TusRequest.offsetContentType else {
            throw AttacheError(.unsupportedMediaType, "Upload bytes are sent as \(TusRequest.offsetContentType).")
        }
        let length = try TusRequest.size(request.headers, .uploadLength)
        let checksum = try TusRequest.checksum(request.headers[.uploadChecksum])
        return try await service.appendToResumableUpload(principal, id: id, offset: offset, length: length, checksum: checksum) { write in
            try await faces.intake.forEachChunk(of: request, context: context, limit: service.resumableLimits.maximumSize, write)
        }
    }

    /// `Upload-Offset`, the length (or that it is deferred), `Upload-Expires` while receiving, and, where
    /// the offer says so, the file (and attachment) once stored.
    private func uploadHeaders(_ upload: ResumableUpload, request: Request, context: AuthenticatedRequestContext) -> HTTPFields {
        var headers: HTTPFields = [.uploadOffset: String(upload.offset)]
        if let length = upload.length {
            headers[.uploadLength] = String(length)
        } else {
            headers[.uploadDeferLength] = "1"
        }
        if upload.state == .receiving {
            headers[.uploadExpires] = TimestampFormat.httpDate(upload.expiresAt)
        }
        guard offer.namesStoredFile else { return headers }
        if let fileID = upload.fileID {
            headers[.attacheFile] = faces.links.url(path: "/v1/files/\(fileID)", request: request)
        }
        if let attachment = upload.attachmentUUID {
            headers[.attacheAttachment] = faces.links.url(path: "/v1/attachments/\(attachment.lowercasedText)", request: request)
        }
        return headers
    }

    /// Whether the request has a body to read (a length above zero, or chunked).
    private static func hasBody(_ request: Request) -> Bool {
        if let length = request.headers[.contentLength] { return length != "0" }
        return request.headers[.transferEncoding] != nil
    }
}
