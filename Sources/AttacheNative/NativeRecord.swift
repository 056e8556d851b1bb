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

    init(_ record: Record) {
        id = record.id
        uuid = record.uuid.lowercasedText
        reference = record.reference
        type = record.type
        externalIdentifier = record.externalIdentifier
        title = record.title
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}
