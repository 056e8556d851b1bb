import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// A stored file as the native API shows it, with signed content links.
struct NativeFile: ResponseEncodable {
    var id: Int64
    var uuid: String
    var name: String
    var size: Int64
    var mimeType: String
    var kind: FileKind
    var sha256: String
    /// `clean`, `infected` (quarantined) or `unscanned`.
    var scanStatus: String
    var createdAt: Date
    var updatedAt: Date
    var downloadUrl: String
    var streamUrl: String

    init(_ file: StoredFile, links: LinkBuilder, tenant: Tenant, request: Request) {
        id = file.id
        uuid = file.uuid.lowercasedText
        name = file.name
        size = file.size
        mimeType = file.mimeType
        kind = file.kind
        sha256 = file.sha256
        scanStatus = file.scan.name
        createdAt = file.createdAt
        updatedAt = file.updatedAt
        downloadUrl = links.signedURL(path: "/v1/files/\(file.id)/download", tenant: tenant, request: request)
        streamUrl = links.signedURL(path: "/v1/files/\(file.id)/stream", tenant: tenant, request: request)
    }
}
