import AttacheCore
import AttacheHTTP
import AttacheJSON
import Foundation
import Hummingbird

/// An attachment as the native API shows it, with signed content links.
struct NativeAttachment: ResponseEncodable {
    var uuid: String
    var fileId: Int64
    var recordUuid: String
    var name: String
    @ExplicitNull var description: String?
    var size: Int64
    var mimeType: String
    var kind: FileKind
    var sha256: String
    /// `clean`, `infected` (quarantined) or `unscanned`.
    var scanStatus: String
    var createdAt: Date
    var updatedAt: Date
    /// The number of the version its file is (1 until a new version is stored; `GET …/versions` lists them).
    var version: Int64
    /// The tenant's category it is in (`GET /v1/categories`), or `null`.
    @ExplicitNull var category: String?
    /// Its free tags, sorted.
    var tags: [String]
    /// The day a category's `expiresOn` retention rule counts from (`2027-01-31`), or `null`.
    @ExplicitNull var expiresOn: String?
    /// Whether a legal hold keeps it from every retention rule (its record's hold counts too).
    var legalHold: Bool
    /// When the server's gc deletes it by its category's retention rule; `null` when no rule will (no
    /// rule, no `expiresOn` for a rule that counts from it, or a legal hold on it or its record).
    @ExplicitNull var deletesAt: Date?
    var downloadUrl: String
    var streamUrl: String
    /// A signed link to the small preview image, when the content's type has one and it is not
    /// quarantined (`size=large` gives the larger one); `null` otherwise.
    @ExplicitNull var thumbnailUrl: String?

    /// - Parameter deletesAt: when retention deletes it (``AttacheService/scheduledDeletions(_:of:)``).
    init(_ attached: AttachedFile, deletesAt: Date?, links: LinkBuilder, tenant: Tenant, request: Request) {
        let uuid = attached.attachment.uuid.lowercasedText
        self.uuid = uuid
        fileId = attached.file.id
        recordUuid = attached.record.uuid.lowercasedText
        name = attached.file.name
        description = attached.attachment.description
        size = attached.file.size
        mimeType = attached.file.mimeType
        kind = attached.file.kind
        sha256 = attached.file.sha256
        scanStatus = attached.file.scan.name
        createdAt = attached.attachment.createdAt
        updatedAt = max(attached.attachment.updatedAt, attached.file.updatedAt)
        version = attached.attachment.version
        category = attached.attachment.category
        tags = attached.attachment.tags
        expiresOn = attached.attachment.expiresOn.map(TimestampFormat.calendarDay)
        legalHold = attached.attachment.legalHold
        self.deletesAt = deletesAt
        downloadUrl = links.signedURL(path: "/v1/attachments/\(uuid)/download", tenant: tenant, request: request)
        streamUrl = links.signedURL(path: "/v1/attachments/\(uuid)/stream", tenant: tenant, request: request)
        thumbnailUrl =
            attached.file.hasPreview
            ? links.signedURL(path: "/v1/attachments/\(uuid)/thumbnail", tenant: tenant, request: request) + "&size=small" : nil
    }
}

extension NativeAttachment: JSONWritable {
    func writeJSON(to object: inout JSONObjectWriter) throws {
        object.write("category", category)
        object.write("createdAt", createdAt)
        try object.write("deletesAt", deletesAt)
        object.write("description", description)
        object.write("downloadUrl", downloadUrl)
        object.write("expiresOn", expiresOn)
        object.write("fileId", fileId)
        object.write("kind", kind.rawValue)
        object.write("legalHold", legalHold)
        object.write("mimeType", mimeType)
        object.write("name", name)
        object.write("recordUuid", recordUuid)
        object.write("scanStatus", scanStatus)
        object.write("sha256", sha256)
        object.write("size", size)
        object.write("streamUrl", streamUrl)
        try object.write("tags", tags)
        object.write("thumbnailUrl", thumbnailUrl)
        object.write("updatedAt", updatedAt)
        object.write("uuid", uuid)
        object.write("version", version)
    }
}
