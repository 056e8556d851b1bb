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
    /// The words it was written in (its `lang`).
    let text: ShareText
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
        .vary: "Accept, Accept-Language, Cookie",
    ]

    func response(status: HTTPResponse.Status) -> Response {
        let html = """
            <!doctype html>
            <html lang="\(text.language.rawValue)">
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
    static func contents(_ view: SharedView, text: ShareText) -> SharePage {
        var body = "<h1>\(HTMLText(view.title))</h1>\n"
        if let label = view.label { body += "<p class=\"label\">\(HTMLText(label))</p>\n" }
        let exhausted = view.downloadsLeft == 0
        if view.files.isEmpty {
            body += "<p class=\"empty\">\(HTMLText(text.noFiles))</p>\n"
        } else {
            body += "<ul class=\"files\">\n"
            for file in view.files {
                body += "<li><span class=\"name\">\(HTMLText(file.name))</span> <span class=\"size\">\(HTMLText(text.sizeText(file.size)))</span> "
                body += exhausted ? "</li>\n" : "<a class=\"button\" href=\"\(HTMLText(file.url))\" download>\(HTMLText(text.download))</a></li>\n"
            }
            body += "</ul>\n"
            if let archive = view.archiveUrl, !exhausted {
                body += "<p><a class=\"button primary\" href=\"\(HTMLText(archive))\" download>\(HTMLText(text.downloadAll))</a></p>\n"
            }
        }
        var notes: [String] = []
        if exhausted {
            notes.append(text.downloadsUsedUp)
        } else if let left = view.downloadsLeft {
            notes.append(text.downloadsLeft(left))
        }
        if let expiresAt = view.expiresAt {
            notes.append(text.worksUntil(expiresAt))
        }
        if !notes.isEmpty { body += "<p class=\"note\">\(HTMLText(notes.joined(separator: " ")))</p>\n" }
        return SharePage(title: view.title, body: body, text: text)
    }

    /// The password form of a share that has one; `failure` says why the last try did not open it.
    static func passwordForm(action: String, failure: String?, text: ShareText) -> SharePage {
        var body = """
            <h1>\(HTMLText(text.passwordHeading))</h1>
            <form method="post" action="\(HTMLText(action))">
            <label for="password">\(HTMLText(text.passwordTitle))</label>
            <input id="password" name="password" type="password" required autofocus autocomplete="current-password">
            <button type="submit" class="primary">\(HTMLText(text.open))</button>
            </form>

            """
        if let failure { body += "<p class=\"error\" role=\"alert\">\(HTMLText(failure))</p>\n" }
        return SharePage(title: text.passwordTitle, body: body, text: text)
    }

    /// A short page for an error a person meets (an unknown link, a used-up one, too many tries).
    static func failure(_ error: AttacheError, text: ShareText) -> SharePage {
        let (heading, detail) = text.failure(error)
        return SharePage(title: heading, body: "<h1>\(HTMLText(heading))</h1>\n<p>\(HTMLText(detail))</p>\n", text: text)
    }

    /// `GET /s/share.css` and `GET /s/drop.js`: a fixed text of this server's, cached for an hour.
    static func asset(_ text: String, etag: String, contentType: String, for request: Request) -> Response {
        var headers: HTTPFields = [.contentType: contentType, .eTag: etag, .cacheControl: "public, max-age=3600", .xContentTypeOptions: "nosniff"]
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
        headers[.contentLength] = String(text.utf8.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
