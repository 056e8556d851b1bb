import AttacheCore
import AttacheHTTP
import AttacheJSON
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
    var legalHold: Bool?

    enum CodingKeys: String, CodingKey {
        case title, externalIdentifier, legalHold
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decodeNullable(String.self, forKey: .title)
        externalIdentifier = try container.decodeNullable(String.self, forKey: .externalIdentifier)
        legalHold = try container.decodeLegalHold(forKey: .legalHold)
    }
}

/// `PATCH /v1/attachments/{uuid}` body: `description` (absent keeps, `null` clears), `name`, and
/// `record` (a record's uuid: the attachment moves there).
struct UpdateAttachmentRequest: Decodable {
    var description: String??
    var name: String?
    var record: UUID?
    var category: String??
    var tags: [String]?
    var expiresOn: Date??
    var legalHold: Bool?

    enum CodingKeys: String, CodingKey {
        case description, name, record, category, tags, expiresOn, legalHold
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
        category = try container.decodeNullable(String.self, forKey: .category)
        if container.contains(.tags), try container.decodeNil(forKey: .tags) {
            throw AttacheError(.invalidInput, "tags cannot be null; send [] to remove them.", field: "tags")
        }
        tags = try container.decodeIfPresent([String].self, forKey: .tags)
        switch try container.decodeNullable(String.self, forKey: .expiresOn) {
        case nil: expiresOn = nil
        case .some(nil): expiresOn = .some(nil)
        case .some(.some(let day)):
            guard let date = TimestampFormat.parseCalendarDay(day) else {
                throw AttacheError(.invalidInput, "expiresOn must be a day, such as 2027-01-31, or null.", field: "expiresOn")
            }
            expiresOn = .some(date)
        }
        legalHold = try container.decodeLegalHold(forKey: .legalHold)
    }
}

/// `POST /v1/records/{uuid}/attachments` JSON body: link files that already exist.
struct LinkFilesRequest: Decodable {
    var fileIds: [Int64]
    var description: String?
}

/// `POST /v1/attachments/{uuid}/shares` and `POST /v1/records/{uuid}/shares` body (all optional).
struct CreateShareRequest: Decodable {
    /// `download` (the default) or `upload` (a drop link).
    var kind: Share.Kind
    var label: String?
    var expiresAt: Date?
    var maxDownloads: Int64?
    var maxFiles: Int64?
    var maxBytes: Int64?
    var password: String?

    enum CodingKeys: String, CodingKey {
        case kind, label, expiresAt, maxDownloads, maxFiles, maxBytes, password
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? Share.Kind.download.rawValue
        guard let known = Share.Kind(rawValue: kind) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "must be download or upload")
        }
        self.kind = known
        maxFiles = try container.decodeIfPresent(Int64.self, forKey: .maxFiles)
        maxBytes = try container.decodeIfPresent(Int64.self, forKey: .maxBytes)
        label = try container.decodeIfPresent(String.self, forKey: .label)
        expiresAt = try container.decodeTimestamp(forKey: .expiresAt) ?? nil
        maxDownloads = try container.decodeIfPresent(Int64.self, forKey: .maxDownloads)
        password = try container.decodeIfPresent(String.self, forKey: .password)
    }
}

/// `PATCH /v1/shares/{id}` body: an absent field is kept, `null` clears it.
struct UpdateShareRequest: Decodable {
    var label: String??
    var expiresAt: Date??
    var maxDownloads: Int64??
    var maxFiles: Int64??
    var maxBytes: Int64??
    var password: String??

    enum CodingKeys: String, CodingKey {
        case label, expiresAt, maxDownloads, maxFiles, maxBytes, password
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxFiles = try container.decodeNullable(Int64.self, forKey: .maxFiles)
        maxBytes = try container.decodeNullable(Int64.self, forKey: .maxBytes)
        label = try container.decodeNullable(String.self, forKey: .label)
        expiresAt = try container.decodeTimestamp(forKey: .expiresAt)
        maxDownloads = try container.decodeNullable(Int64.self, forKey: .maxDownloads)
        password = try container.decodeNullable(String.self, forKey: .password)
    }
}

extension KeyedDecodingContainer {
    /// An ISO 8601 timestamp with a zone, with or without fractional seconds (what JavaScript's
    /// `toISOString()` writes): `nil` when absent, `.some(nil)` when `null`.
    fileprivate func decodeTimestamp(forKey key: Key) throws -> Date?? {
        guard let text = try decodeNullable(String.self, forKey: key) else { return nil }
        guard let text else { return .some(nil) }
        guard text.contains("T"), let date = TimestampFormat.parseISO8601(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "must be a date and time with a zone, such as 2027-01-31T12:00:00Z")
        }
        return .some(date)
    }
}

/// `POST /v1/webhooks`.
struct CreateWebhookRequest: Decodable {
    var url: String
    var events: [String]
    var description: String?
}

/// `PATCH /v1/webhooks/{id}`: what is given changes; `description: null` removes it.
struct UpdateWebhookRequest: Decodable {
    var url: String?
    var events: [String]?
    var description: String??
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case url, events, description, enabled
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        events = try container.decodeIfPresent([String].self, forKey: .events)
        description = try container.decodeNullable(String.self, forKey: .description)
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled)
    }
}

extension KeyedDecodingContainer {
    /// A legal hold: `true` or `false`, or absent to keep it; `null` is refused (it says neither).
    fileprivate func decodeLegalHold(forKey key: Key) throws -> Bool? {
        if contains(key), try decodeNil(forKey: key) {
            throw AttacheError(.invalidInput, "legalHold is true or false; leave it out to keep it.", field: "legalHold")
        }
        return try decodeIfPresent(Bool.self, forKey: key)
    }
}
