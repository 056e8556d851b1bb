import Foundation

/// Something that files belong to: a person, an organisation, a property, a case, …
public struct Record: Sendable, Hashable, Codable {
    public var id: Int64
    public var uuid: UUID
    public var tenantID: Int64
    public var type: RecordType
    /// Server-generated relationship number, unique per tenant across all record types.
    public var reference: String
    /// The client's own identifier, unique per tenant and type.
    public var externalIdentifier: String?
    public var title: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// A legal hold: no retention rule deletes the record's attachments while it holds.
    public var legalHold: Bool

    public init(
        id: Int64, uuid: UUID, tenantID: Int64, type: RecordType, reference: String,
        externalIdentifier: String?, title: String?, createdAt: Date, updatedAt: Date, legalHold: Bool = false
    ) {
        self.legalHold = legalHold
        self.id = id
        self.uuid = uuid
        self.tenantID = tenantID
        self.type = type
        self.reference = reference
        self.externalIdentifier = externalIdentifier
        self.title = title
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
