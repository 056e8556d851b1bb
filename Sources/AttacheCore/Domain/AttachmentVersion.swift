public import Foundation

/// One version of an attachment's file: the current one (the file the attachment shows everywhere)
/// or an earlier one, kept with its own file row so it can be downloaded, made current again (no
/// bytes copied) or deleted. Versions are numbered 1, 2, 3, … per attachment; a restore makes a new
/// number for the content it brings back.
public struct AttachmentVersion: Sendable, Hashable {
    public var number: Int64
    public var file: StoredFile
    /// Who made the version (an audit actor's text: `token:12`, `share:…`); `nil` for the first
    /// version of attachments made before versions were kept.
    public var author: String?
    public var createdAt: Date
    public var isCurrent: Bool

    public init(number: Int64, file: StoredFile, author: String?, createdAt: Date, isCurrent: Bool) {
        self.number = number
        self.file = file
        self.author = author
        self.createdAt = createdAt
        self.isCurrent = isCurrent
    }
}
