/// Only attachments in a category, and/or with a tag: the filters of a record's attachment list.
public struct AttachmentLabelFilter: Sendable, Hashable {
    public var category: String?
    /// A tag, ignoring the case of ASCII letters (``AttachmentTags/folded(_:)``).
    public var tag: String?

    public init(category: String? = nil, tag: String? = nil) {
        self.category = category
        self.tag = tag
    }

    /// No filter.
    public static let any = AttachmentLabelFilter()

    public func matches(_ attachment: Attachment) -> Bool {
        (category.map { attachment.category == $0 } ?? true) && (tag.map { AttachmentTags.contain(attachment.tags, $0) } ?? true)
    }
}
