import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// A record as the native API shows it.
struct NativeRecord: ResponseEncodable {
    var id: Int64
    var uuid: String
    var reference: String
    var type: RecordType
    @ExplicitNull var externalIdentifier: String?
    @ExplicitNull var title: String?
    var createdAt: Date
    var updatedAt: Date
    /// Whether a legal hold keeps the record's attachments from every retention rule.
    var legalHold: Bool
    /// A signed link to the ZIP archive of the record's attachments.
    var archiveUrl: String

    init(_ record: Record, links: LinkBuilder, tenant: Tenant, request: Request) {
        archiveUrl = links.signedURL(path: "/v1/records/\(record.uuid.lowercasedText)/archive", tenant: tenant, request: request)
        id = record.id
        uuid = record.uuid.lowercasedText
        reference = record.reference
        type = record.type
        externalIdentifier = record.externalIdentifier
        title = record.title
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        legalHold = record.legalHold
    }
}
