import AttacheHTTP
import Crypto
import Foundation
import NIOCore

/// A static file of the web page, loaded once from the package's resources.
struct WebAsset: Sendable {
    let body: ByteBuffer
    let contentType: String
    /// Strong ETag from the content's SHA-256.
    let etag: String

    /// Loads `name` from `Resources/ui`, with each key of `replacing` replaced by its value (HTML-escaped).
    /// - Returns: `nil` when the build does not carry it.
    static func load(_ name: String, replacing substitutions: [String: String] = [:]) -> WebAsset? {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2,
            let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Resources/ui"),
            // allowed: a resource the build does not carry is an asset the page does not have (404)
            var data = try? Data(contentsOf: url)  // allowed: read once at start from the bundle; a build without it serves 404
        else { return nil }
        if !substitutions.isEmpty {
            var text = String(decoding: data, as: UTF8.self)
            for (key, value) in substitutions {
                let escaped = value.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
                    .replacingOccurrences(of: "<", with: "&lt;")
                text = text.replacingOccurrences(of: key, with: escaped)
            }
            data = Data(text.utf8)
        }
        let type = switch parts[1] {
        case "html": "text/html; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        default: "application/octet-stream"
        }
        let digest = SHA256.hash(data: data).prefix(16).map { String(format: "%02x", $0) }.joined()
        return WebAsset(body: ByteBuffer(bytes: data), contentType: type, etag: "\"\(digest)\"")
    }
}
