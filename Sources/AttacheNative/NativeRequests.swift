import AttacheCore
import AttacheHTTP
import Foundation

/// `POST /v1/records` body.
struct CreateRecordRequest: Decodable {
    var type: RecordType
    var externalIdentifier: String?
    var title: String?
}

/// `PATCH /v1/records/{uuid}` body: an absent field is kept, `null` clears it.
struct UpdateRecordRequest: Decodable {
    var title: String??
    var externalIdentifier: String??

    enum CodingKeys: String, CodingKey {
        case title, externalIdentifier
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decodeNullable(String.self, forKey: .title)
        externalIdentifier = try container.decodeNullable(String.self, forKey: .externalIdentifier)
    }
}

/// `PATCH /v1/attachments/{uuid}` body: `description` (absent keeps, `null` clears), `name`, and
/// `record` (a record's uuid: the attachment moves there).
struct UpdateAttachmentRequest: Decodable {
    var description: String??
    var name: String?
    var record: UUID?

    enum CodingKeys: String, CodingKey {
        case description, name, record
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.record) {
            guard let text = try? container.decode(String.self, forKey: .record), let uuid = UUID(text: text) else {  // allowed: any non-uuid is refused alike
                throw DecodingError.dataCorruptedError(forKey: .record, in: container, debugDescription: "must be a record's uuid")
            }
            record = uuid
        }
        description = try container.decodeNullable(String.self, forKey: .description)
        if container.contains(.name), try container.decodeNil(forKey: .name) {
            throw AttacheError(.invalidInput, "name cannot be null; leave it out to keep the name.", field: "name")
        }
        name = try container.decodeIfPresent(String.self, forKey: .name)
    }
}

/// `POST /v1/records/{uuid}/attachments` JSON body: link files that already exist.
struct LinkFilesRequest: Decodable {
    var fileIds: [Int64]
    var description: String?
}
