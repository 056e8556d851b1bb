import AttacheCore
import Foundation
import Hummingbird

/// A record as the native API shows it.
struct NativeRecord: ResponseEncodable {
    var id: Int64
    var uuid: String
    var reference: String
    var type: RecordType
    var externalIdentifier: String?
    var title: String?
    var createdAt: Date
    var updatedAt: Date

    init(_ record: Record) {
        id = record.id
        uuid = record.uuid.uuidString.lowercased()
        reference = record.reference
        type = record.type
        externalIdentifier = record.externalIdentifier
        title = record.title
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, uuid, reference, type, externalIdentifier, title, createdAt, updatedAt
    }

    /// Encodes absent optionals as `null`, so every field is always present.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(uuid, forKey: .uuid)
        try container.encode(reference, forKey: .reference)
        try container.encode(type, forKey: .type)
        try container.encode(externalIdentifier, forKey: .externalIdentifier)
        try container.encode(title, forKey: .title)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}
