import AttacheCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves a stored file's bytes with everything a browser or download client expects: single
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
    package func respond(
        to request: Request,
        file: StoredFile,
        through attached: AttachedFile? = nil,
        principal: Principal,
        disposition: Disposition
    ) async throws -> Response {
        let etag = "\"\(file.sha256)\""
        let inline = disposition == .stream && Self.isInlineSafe(file.mimeType)
        var headers: HTTPFields = [
            .eTag: etag,
            .lastModified: TimestampFormat.httpDate(file.createdAt),
            .acceptRanges: "bytes",
            .xContentTypeOptions: "nosniff",
            .contentSecurityPolicy: Self.contentSecurityPolicy,
            .cacheControl: "private, no-cache",
            .contentDisposition: ContentDispositionValue.make(inline: inline, fileName: file.name),
        ]
        if notModified(request, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.mimeType
        if request.method == .get,
            let location = try await service.directDownloadURL(
                principal, of: file, through: attached, contentType: file.mimeType, contentDisposition: headers[.contentDisposition] ?? "attachment"
            )
        {
            // Object storage serves the bytes (and any Range the client sends after the redirect).
            return Response(status: .found, headers: [.location: location, .cacheControl: "private, no-store"])
        }
        var range = ByteRange(header: request.headers[.range], length: file.size)
        // An empty file has no bytes to select: the Range is ignored (RFC 9110 §14.2 lets a server).
        if let ifRange = request.headers[.ifRange], ifRange != etag {
            range = .whole
        } else if file.size == 0 {
            range = .whole
        }
        switch range {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(file.size)"
            headers[.contentType] = nil
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .whole:
            let body = try await body(of: file, range: 0..<file.size, through: attached, principal: principal, request: request)
            return Response(status: .ok, headers: headers, body: body)
        case .partial(let bytes):
            headers[.contentRange] = "bytes \(bytes.lowerBound)-\(bytes.upperBound - 1)/\(file.size)"
            let body = try await body(of: file, range: bytes, through: attached, principal: principal, request: request)
            return Response(status: .partialContent, headers: headers, body: body)
        }
    }

    private func body(
        of file: StoredFile, range: Range<Int64>, through attached: AttachedFile?, principal: Principal, request: Request
    ) async throws -> ResponseBody {
        let length = Int(range.upperBound - range.lowerBound)
        guard request.method != .head else {
            return ResponseBody(contentLength: length) { writer in try await writer.finish(nil) }
        }
        let content = try await service.openDownload(principal, of: file, through: attached, range: range)
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
