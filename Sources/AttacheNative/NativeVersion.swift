import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// One version of an attachment's file, as `GET /v1/attachments/{uuid}/versions` lists it, with a
/// signed link to its content.
struct NativeVersion: Encodable, Sendable {
    var number: Int64
    var current: Bool
    var fileId: Int64
    var name: String
    var size: Int64
    var mimeType: String
    var sha256: String
    /// `clean`, `infected` (quarantined) or `unscanned`.
    var scanStatus: String
    /// Who made it, as the audit trail names them (`token:12`); `null` for a first version made before
    /// versions were kept.
    @ExplicitNull var author: String?
    var createdAt: Date
    var downloadUrl: String

    init(_ version: AttachmentVersion, of attachment: UUID, links: LinkBuilder, tenant: Tenant, request: Request) {
        number = version.number
        current = version.isCurrent
        fileId = version.file.id
        name = version.file.name
        size = version.file.size
        mimeType = version.file.mimeType
        sha256 = version.file.sha256
        scanStatus = version.file.scan.name
        author = version.author
        createdAt = version.createdAt
        downloadUrl = links.signedURL(path: "/v1/attachments/\(attachment.lowercasedText)/versions/\(version.number)/download", tenant: tenant, request: request)
    }
}

/// `GET /v1/attachments/{uuid}/versions`: `{items}`, newest first.
struct NativeVersionList: ResponseEncodable {
    var items: [NativeVersion]
}
