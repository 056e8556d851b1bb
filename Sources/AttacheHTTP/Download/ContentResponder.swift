import AttacheCore
import AttacheJSON
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves a stored file's bytes (or a record's ZIP archive) with everything a browser or download client expects: single
/// ranges (206/416), a strong ETag from the SHA-256, `If-None-Match`/`If-Range`, `Last-Modified`,
/// RFC 6266 file names, and the security headers that keep content from running in our origin.
///
/// The content is opened before the response is returned, so a download whose headers went out
/// always delivers every byte it promised, even when the file is deleted meanwhile.
package struct ContentResponder: Sendable {
    package let service: AttacheService

    package init(service: AttacheService) {
        self.service = service
    }

    /// How the client wants the content: saved (`download`) or shown (`stream`).
    package enum Disposition {
        case download
        case stream
    }

    /// MIME types a browser may render inline. Anything else (SVG, HTML, XML, archives, office
    /// documents, …) is always served as an attachment.
    package static func isInlineSafe(_ mimeType: String) -> Bool {
        let type = mimeType.lowercased()
        if type == "image/svg+xml" { return false }
        return type.hasPrefix("image/") || type.hasPrefix("audio/") || type.hasPrefix("video/")
            || type == "application/pdf" || type == "text/plain"
    }

    package static let contentSecurityPolicy = "default-src 'none'; sandbox"

    /// Answers `request` with `file`'s content for `principal`; `attached` is the attachment the file
    /// was reached through (named in the download's audit event).
    /// - Parameters:
    ///   - redirects: whether object storage may serve the bytes (a redirect to a presigned URL);
    ///     share links pass `false`, so every byte they serve goes through `admit`.
    ///   - admit: runs once the response is known to send content (a GET answered 200 or 206), before
    ///     the content is opened; what it throws is the answer instead (share links count downloads here).
    package func respond(
        to request: Request,
        file: StoredFile,
        through attached: AttachedFile? = nil,
        principal: Principal,
        disposition: Disposition,
        redirects: Bool = true,
        admit: () async throws -> Void = {}
    ) async throws -> Response {
        let etag = "\"\(file.sha256)\""
        let inline = disposition == .stream && Self.isInlineSafe(file.mimeType)
        var headers = Self.headers(etag: etag, lastModified: file.createdAt, disposition: ContentDispositionValue.make(inline: inline, fileName: file.name))
        if notModified(request, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.mimeType
        if redirects, request.method == .get,
            let location = try await service.directDownloadURL(
                principal, of: file, through: attached, contentType: file.mimeType, contentDisposition: headers[.contentDisposition] ?? "attachment"
            )
        {
            // Object storage serves the bytes (and any Range the client sends after the redirect).
            return Response(status: .found, headers: [.location: location, .cacheControl: "private, no-store"])
        }
        return try await ranged(request, size: file.size, etag: etag, headers: headers) { range in
            try await admit()
            return try await service.openDownload(principal, of: file, through: attached, range: range)
        }
    }

    /// Answers `request` with a record's ZIP archive for `principal`, with the same rules as a file:
    /// ranges, `If-Range`, `If-None-Match` (the archive's bytes are the same for the same entries);
    /// `admit` as for a file.
    package func respond(
        to request: Request, archive: RecordArchive, principal: Principal, admit: () async throws -> Void = {}
    ) async throws -> Response {
        var headers = Self.headers(
            etag: archive.etag, lastModified: archive.lastModified, disposition: ContentDispositionValue.make(inline: false, fileName: archive.fileName)
        )
        if notModified(request, etag: archive.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/zip"
        return try await ranged(request, size: archive.size, etag: archive.etag, headers: headers) { range in
            try await admit()
            return service.openArchive(principal, archive, range: range)
        }
    }

    /// Answers `request` with a preview image of `file`, with the same rules as a file: its ETag is the
    /// image's SHA-256, and it may be cached for a day (a new version of the file is a new image,
    /// revalidated by its ETag after that). Never redirected, never audited (``PreviewContent``).
    package func respond(to request: Request, preview image: PreviewImage, of file: StoredFile) async throws -> Response {
        let etag = "\"\(image.imageSHA256)\""
        let name = (file.name as NSString).deletingPathExtension + "-\(image.size.rawValue).webp"
        var headers = Self.headers(etag: etag, lastModified: file.createdAt, disposition: ContentDispositionValue.make(inline: true, fileName: name))
        headers[.cacheControl] = "private, max-age=86400"
        if notModified(request, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = image.mediaType
        return try await ranged(request, size: image.byteCount, etag: etag, headers: headers) { range in
            try await service.openPreview(image, of: file, range: range)
        }
    }

    /// What every content response carries, whatever its status.
    private static func headers(etag: String, lastModified: Date, disposition: String) -> HTTPFields {
        [
            .eTag: etag,
            .lastModified: TimestampFormat.httpDate(lastModified),
            .acceptRanges: "bytes",
            .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .cacheControl: "private, no-cache",
            .contentDisposition: disposition,
        ]
    }

    /// The whole content (200), one range of it (206), or 416; `open` opens the bytes to send.
    private func ranged(
        _ request: Request, size: Int64, etag: String, headers: HTTPFields, open: (Range<Int64>) async throws -> any ContentStream
    ) async throws -> Response {
        var headers = headers
        var range = ByteRange(header: request.headers[.range], length: size)
        // An empty content has no bytes to select: the Range is ignored (RFC 9110 §14.2 lets a server).
        if let ifRange = request.headers[.ifRange], ifRange != etag {
            range = .whole
        } else if size == 0 {
            range = .whole
        }
        switch range {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(size)"
            headers[.contentType] = nil
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .whole:
            return Response(status: .ok, headers: headers, body: try await body(range: 0..<size, request: request, open: open))
        case .partial(let bytes):
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound - 1)/\(size)"
            return Response(status: .partialContent, headers: headers, body: try await body(range: bytes, request: request, open: open))
        }
    }

    /// The content is opened here, before the response goes out (a HEAD opens nothing, and `open` is
    /// called only for a response that sends content).
    private func body(range: Range<Int64>, request: Request, open: (Range<Int64>) async throws -> any ContentStream) async throws -> ResponseBody {
        let length = Int(range.upperBound - range.lowerBound)
        guard request.method != .head else {
            return ResponseBody(contentLength: length) { writer in try await writer.finish(nil) }
        }
        let content = try await open(range)
        return ResponseBody(contentLength: length) { writer in
            try await content.stream { chunk in
                try await writer.write(chunk)
            }
            try await writer.finish(nil)
        }
    }

    private func notModified(_ request: Request, etag: String) -> Bool {
        guard let header = request.headers[.ifNoneMatch] else { return false }
        return header.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
