import Foundation

/// The link of a file to a record.
public struct Attachment: Sendable, Hashable, Codable {
    public var id: Int64
    public var uuid: UUID
    public var tenantID: Int64
    public var recordID: Int64
    public var fileID: Int64
    public var description: String?
    /// The custom-field slot the attachment fills, if any.
    public var slot: AttachmentSlot?
    public var createdAt: Date
    public var updatedAt: Date
    /// The number of the version its file is (1 until a new version is stored; ``AttachmentVersion``).
    public var version: Int64
    /// The tenant's category it is in (``Category``), if any.
    public var category: String?
    /// Its free tags (``AttachmentTags``).
    public var tags: [String]
    /// The date a retention rule counts from when its category's rule says `expiresOn` (a passport
    /// scan's expiry); midnight UTC of that day.
    public var expiresOn: Date?
    /// A legal hold: no retention rule deletes it while it holds.
    public var legalHold: Bool

    public init(
        id: Int64, uuid: UUID, tenantID: Int64, recordID: Int64, fileID: Int64,
        description: String?, slot: AttachmentSlot? = nil, createdAt: Date, updatedAt: Date, version: Int64 = 1, category: String? = nil,
        tags: [String] = [], expiresOn: Date? = nil, legalHold: Bool = false
    ) {
        self.expiresOn = expiresOn
        self.legalHold = legalHold
        self.version = version
        self.category = category
        self.tags = tags
        self.id = id
        self.uuid = uuid
        self.tenantID = tenantID
        self.recordID = recordID
        self.fileID = fileID
        self.description = description
        self.slot = slot
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
