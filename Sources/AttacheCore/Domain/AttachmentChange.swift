public import Foundation

/// What a change of an attachment sets; `nil` members stay as they are.
public struct AttachmentChange: Sendable, Hashable {
    /// `.some(nil)` removes the description.
    public var description: String??
    /// The file's new name, checked and sanitized.
    public var fileName: String?
    /// The record (its number) it moves to.
    public var recordID: Int64?
    /// `.some(nil)` takes it out of its category.
    public var category: String??
    /// Its tags, normalized (``AttachmentTags``); `[]` removes them.
    public var tags: [String]?
    /// `.some(nil)` removes the date.
    public var expiresOn: Date??
    public var legalHold: Bool?

    public init(
        description: String?? = nil, fileName: String? = nil, recordID: Int64? = nil, category: String?? = nil, tags: [String]? = nil,
        expiresOn: Date?? = nil, legalHold: Bool? = nil
    ) {
        self.expiresOn = expiresOn
        self.legalHold = legalHold
        self.description = description
        self.fileName = fileName
        self.recordID = recordID
        self.category = category
        self.tags = tags
    }
}
