import Foundation

/// Reads element values out of S3's small, flat XML responses (`ListObjectsV2`, multipart uploads).
enum XMLText {
    /// The text of every `<tag>…</tag>` in `text`, unescaped.
    static func values(of tag: String, in text: String) -> [String] {
        blocks(of: tag, in: text).map(unescape)
    }

    /// The inner XML of every `<tag>…</tag>` block, for nested reads.
    static func blocks(of tag: String, in text: String) -> [String] {
        var blocks: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(tag)>"), let close = rest[open.upperBound...].range(of: "</\(tag)>") {
            blocks.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return blocks
    }

    private static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
