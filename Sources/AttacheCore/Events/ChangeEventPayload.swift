public import Foundation

/// A change event as clients read it — an item of `GET /v1/events` and the body of a webhook
/// delivery — shaped as Standard Webhooks' payloads are (`type`, `timestamp`, `data`), with the
/// feed's number as `id`. Ids, names and sizes only: never a link, a token or content. Members that
/// are unknown are written as `null`, so every event has the same members.
public struct ChangeEventPayload: Encodable, Sendable {
    public struct File: Encodable, Sendable {
        var id: Int64?
        var name: String?
        var size: Int64?

        enum CodingKeys: String, CodingKey { case id, name, size }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeExplicitly(id, forKey: .id)
            try container.encodeExplicitly(name, forKey: .name)
            try container.encodeExplicitly(size, forKey: .size)
        }
    }

    public struct Data: Encodable, Sendable {
        var actor: String
        var record: String?
        var attachment: String?
        /// The file the event names: its id (none for a refused upload, which stored nothing), its
        /// name and its size when the event was written.
        var file: File?
        var detail: String?

        enum CodingKeys: String, CodingKey { case actor, record, attachment, file, detail }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(actor, forKey: .actor)
            try container.encodeExplicitly(record, forKey: .record)
            try container.encodeExplicitly(attachment, forKey: .attachment)
            try container.encodeExplicitly(file, forKey: .file)
            try container.encodeExplicitly(detail, forKey: .detail)
        }
    }

    public var id: Int64
    public var type: String
    public var timestamp: Date
    public var data: Data

    public init(_ event: ChangeEvent) {
        id = event.number
        type = event.type.rawValue
        timestamp = event.time
        data = Data(
            actor: event.actor, record: event.recordUUID?.lowercasedText, attachment: event.attachmentUUID?.lowercasedText,
            file: event.fileID == nil && event.fileName == nil ? nil : File(id: event.fileID, name: event.fileName, size: event.size),
            detail: event.detail
        )
    }
}

extension KeyedEncodingContainer {
    /// Writes `value`, or `null` when there is none (`encodeIfPresent` would leave the member out).
    fileprivate mutating func encodeExplicitly(_ value: (some Encodable)?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
