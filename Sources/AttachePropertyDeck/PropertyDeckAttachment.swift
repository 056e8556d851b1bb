import AttacheCore
import AttacheHTTP
import AttacheJSON
import Foundation
import Hummingbird

/// PropertyDeck's attachment object, field for field as its documentation lists it.
struct PropertyDeckAttachment: Encodable {
    var uuid: String
    var createdAt: String
    var updatedAt: String
    var name: String
    @ExplicitNull var description: String?
    var size: Int64
    var downloadUrl: String
    var streamUrl: String
    var mimeType: String
    var type: String

    enum CodingKeys: String, CodingKey {
        case uuid, name, description, size, type
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case downloadUrl = "download_url"
        case streamUrl = "stream_url"
        case mimeType = "mime_type"
    }

    init(_ attached: AttachedFile, faces: FaceServices, tenant: Tenant, request: Request) {
        let uuid = attached.attachment.uuid.lowercasedText
        self.uuid = uuid
        createdAt = TimestampFormat.withOffset(attached.attachment.createdAt)
        updatedAt = TimestampFormat.withOffset(max(attached.attachment.updatedAt, attached.file.updatedAt))
        name = attached.file.name
        description = attached.attachment.description
        size = attached.file.size
        downloadUrl = faces.links.signedURL(path: "/attachments/\(uuid)/download", tenant: tenant, request: request)
        streamUrl = faces.links.signedURL(path: "/attachments/\(uuid)/stream", tenant: tenant, request: request)
        mimeType = attached.file.mimeType
        type = attached.file.kind.rawValue
    }
}
