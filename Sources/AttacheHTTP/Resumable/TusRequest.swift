import AttacheCore
import Foundation
import HTTPTypes

/// Reads the tus 1.0 headers of a request into the core's terms.
package enum TusRequest {
    package static let version = "1.0.0"
    package static let offsetContentType = "application/offset+octet-stream"

    /// `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be absent).
    package static func metadata(_ header: String?) throws(AttacheError) -> [String: String] {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else { return [:] }
        var pairs: [String: String] = [:]
        for item in header.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true)
            guard let key = parts.first, parts.count <= 2, pairs[String(key)] == nil else {
                throw AttacheError(.invalidInput, "Upload-Metadata must be comma-separated 'key base64value' pairs with distinct keys.")
            }
            var value = ""
            if parts.count == 2 {
                guard let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8) else {
                    throw AttacheError(.invalidInput, "The Upload-Metadata value of '\(key)' is not base64 of UTF-8 text.")
                }
                value = text
            }
            pairs[String(key)] = value
        }
        return pairs
    }

    /// A non-negative integer header (`Upload-Length`, `Upload-Offset`); `nil` when absent.
    package static func size(_ fields: HTTPFields, _ name: HTTPField.Name) throws(AttacheError) -> Int64? {
        guard let text = fields[name] else { return nil }
        guard let value = Int64(text), value >= 0 else { throw AttacheError(.invalidInput, "\(name) must be a non-negative integer.") }
        return value
    }

    /// `Upload-Checksum: sha1 <base64>`. - Throws: `invalidInput` for an algorithm not offered or a bad digest.
    package static func checksum(_ header: String?) throws(AttacheError) -> ChunkChecksum? {
        guard let header else { return nil }
        let parts = header.split(separator: " ")
        guard parts.count == 2, let algorithm = ChunkChecksum.Algorithm(rawValue: String(parts[0]).lowercased()) else {
            throw AttacheError(.invalidInput, "Upload-Checksum must be '<algorithm> <base64>' with sha1 or sha256.")
        }
        guard let digest = Data(base64Encoded: String(parts[1])) else {
            throw AttacheError(.invalidInput, "The Upload-Checksum digest is not base64.")
        }
        return ChunkChecksum(algorithm: algorithm, digest: Array(digest))
    }

    /// `Upload-Concat: partial` or `final;<url> <url>` (absolute URLs or paths ending in the upload id).
    package static func concatenation(_ header: String?) throws(AttacheError) -> ResumableUpload.Concatenation? {
        guard let header else { return nil }
        if header == "partial" { return .partial }
        guard header.hasPrefix("final;") else {
            throw AttacheError(.invalidInput, "Upload-Concat must be 'partial' or 'final;' and the partial uploads' URLs.")
        }
        var parts: [UUID] = []
        for url in header.dropFirst(6).split(separator: " ") {
            guard let last = url.split(separator: "/").last, let id = UUID(text: String(last)) else {
                throw AttacheError(.invalidInput, "'\(url)' is not the URL of an upload.")
            }
            parts.append(id)
        }
        return .final(parts)
    }

    /// What the client asks to create, from `POST /v1/uploads`.
    package static func newUpload(_ fields: HTTPFields) throws(AttacheError) -> NewResumableUpload {
        let concatenation = try concatenation(fields[.uploadConcat])
        let length = try size(fields, .uploadLength)
        let deferred = fields[.uploadDeferLength]
        if let deferred, deferred != "1" { throw AttacheError(.invalidInput, "Upload-Defer-Length must be 1.") }
        switch (concatenation, length, deferred) {
        case (.final, nil, nil): break
        case (.final, _, _): throw AttacheError(.invalidInput, "A final upload takes its length from its parts.")
        case (_, .some, .some): throw AttacheError(.invalidInput, "Send Upload-Length or Upload-Defer-Length, not both.")
        case (_, nil, nil): throw AttacheError(.invalidInput, "Upload-Length (or Upload-Defer-Length: 1) is required.")
        default: break
        }
        let metadata = try metadata(fields[.uploadMetadata])
        var recordUUID: UUID?
        if let record = metadata["record"], !record.isEmpty {
            guard let uuid = UUID(text: record) else { throw AttacheError(.invalidInput, "The metadata 'record' is not a record id.") }
            recordUUID = uuid
        }
        let fileName = [metadata["filename"], metadata["name"]].compactMap { $0 }.first { !$0.isEmpty } ?? "upload"
        var new = NewResumableUpload(
            length: length, metadata: fields[.uploadMetadata], fileName: fileName,
            description: metadata["description"].flatMap { $0.isEmpty ? nil : $0 }, recordUUID: recordUUID, concatenation: concatenation
        )
        // A new version of an attachment: the creating request's If-Match names the content it replaces.
        if let attachment = metadata["attachment"], !attachment.isEmpty {
            guard let uuid = UUID(text: attachment) else { throw AttacheError(.invalidInput, "The metadata 'attachment' is not an attachment id.") }
            new.newVersionOf = VersionPrecondition(attachmentUUID: uuid, currentSHA256: try VersionPrecondition.sha256(ofIfMatch: fields[.ifMatch]))
        }
        new.category = metadata["category"].flatMap { $0.isEmpty ? nil : $0 }
        new.tags = AttachmentTags.list(commaSeparated: metadata["tags"])
        return new
    }
}
