import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The HTML of the public share pages: small documents rendered on the server, with one stylesheet
/// of this server's and no script (the drop page has one, of this server's too, that only makes its
/// form nicer: it works without it), and headers that keep them out of caches, search engines,
/// frames and `Referer` headers (their URLs carry the token).
struct SharePage {
    let title: String
    let body: String
    /// The drop page's script (``ShareScript``), which sends its files from the page itself.
    var script = false

    static let contentSecurityPolicy = [
        "default-src 'none'", "style-src 'self'", "img-src 'self'", "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// The drop page's: its own script, and requests to its own origin.
    static let scriptedContentSecurityPolicy = contentSecurityPolicy + "; script-src 'self'; connect-src 'self'"

    /// What every share page (and its errors) is sent with.
    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .contentSecurityPolicy: contentSecurityPolicy,
        .xContentTypeOptions: "nosniff",
        .referrerPolicy: "no-referrer",
        .cacheControl: "no-store",
        HTTPField.Name("X-Robots-Tag") ?? .cacheControl: "noindex, nofollow",
        .vary: "Accept, Cookie",
    ]

    func response(status: HTTPResponse.Status) -> Response {
        let html = """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow">
            <title>\(HTMLText(title)) · Attache</title>
            <link rel="icon" href="/s/icon.svg" type="image/svg+xml">
            <link rel="stylesheet" href="/s/share.css">\(script ? "\n<script src=\"/s/drop.js\" defer></script>" : "")
            </head>
            <body>
            <main>
            \(body)
            </main>
            </body>
            </html>

            """
        var headers = Self.headers
        if script { headers[.contentSecurityPolicy] = Self.scriptedContentSecurityPolicy }
        headers[.contentLength] = String(html.utf8.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// The files a share shows, each with a download button, and the ZIP of them all for a record.
    static func contents(_ view: SharedView) -> SharePage {
        var body = "<h1>\(HTMLText(view.title))</h1>\n"
        if let label = view.label { body += "<p class=\"label\">\(HTMLText(label))</p>\n" }
        let exhausted = view.downloadsLeft == 0
        if view.files.isEmpty {
            body += "<p class=\"empty\">There are no files here (yet).</p>\n"
        } else {
            body += "<ul class=\"files\">\n"
            for file in view.files {
                body += "<li><span class=\"name\">\(HTMLText(file.name))</span> <span class=\"size\">\(sizeText(file.size))</span> "
                body += exhausted ? "</li>\n" : "<a class=\"button\" href=\"\(HTMLText(file.url))\" download>Download</a></li>\n"
            }
            body += "</ul>\n"
            if let archive = view.archiveUrl, !exhausted {
                body += "<p><a class=\"button primary\" href=\"\(HTMLText(archive))\" download>Download all (ZIP)</a></p>\n"
            }
        }
        var notes: [String] = []
        if exhausted {
            notes.append("This link has served all the downloads it was made for.")
        } else if let left = view.downloadsLeft {
            notes.append(left == 1 ? "1 download left." : "\(left) downloads left.")
        }
        if let expiresAt = view.expiresAt {
            notes.append("The link works until \(TimestampFormat.httpDate(expiresAt)).")
        }
        if !notes.isEmpty { body += "<p class=\"note\">\(HTMLText(notes.joined(separator: " ")))</p>\n" }
        return SharePage(title: view.title, body: body)
    }

    /// The password form of a share that has one; `failure` says why the last try did not open it.
    static func passwordForm(action: String, failure: String?) -> SharePage {
        var body = """
            <h1>This link needs a password</h1>
            <form method="post" action="\(HTMLText(action))">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" required autofocus autocomplete="current-password">
            <button type="submit" class="primary">Open</button>
            </form>

            """
        if let failure { body += "<p class=\"error\" role=\"alert\">\(HTMLText(failure))</p>\n" }
        return SharePage(title: "Password", body: body)
    }

    /// A short page for an error a person meets (an unknown link, a used-up one, too many tries).
    static func failure(_ error: AttacheError) -> SharePage {
        let heading = switch error.code {
        case .notFound: "This link does not work"
        case .linkExhausted: "This link is used up"
        case .contentTooLarge: "That is too large"
        case .unsupportedMediaType: "That kind of file is not taken"
        case .contentInfected: "That file was refused"
        case .quotaExceeded: "There is no room for that"
        case .missingFile: "No file arrived"
        case .tooManyRequests: "Too many tries"
        case .passwordRequired: "This link needs a password"
        default: "Something went wrong"
        }
        return SharePage(title: heading, body: "<h1>\(HTMLText(heading))</h1>\n<p>\(HTMLText(error.message))</p>\n")
    }

    /// `1.2 MB`, `512 bytes`: a size for a person (decimal units, as file managers show them).
    static func sizeText(_ size: Int64) -> String {
        if size < 1000 { return size == 1 ? "1 byte" : "\(size) bytes" }
        var value = Double(size)
        for unit in ["kB", "MB", "GB", "TB"] {
            value /= 1000
            if value < 999.95 || unit == "TB" {
                return value < 10 ? String(format: "%.1f %@", value, unit) : String(format: "%.0f %@", value, unit)
            }
        }
        return "\(size) bytes"
    }

    /// `GET /s/share.css` and `GET /s/drop.js`: a fixed text of this server's, cached for an hour.
    static func asset(_ text: String, etag: String, contentType: String, for request: Request) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .eTag: etag, .cacheControl: "public, max-age=3600", .xContentTypeOptions: "nosniff"]
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
        headers[.contentLength] = String(text.utf8.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
