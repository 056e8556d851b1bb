import Foundation

/// A file and where it is attached: what an operator needs to find the people a damaged or
/// quarantined content concerns.
public struct FileLinks: Sendable, Hashable {
    public struct Link: Sendable, Hashable {
        public var attachmentUUID: UUID
        public var recordUUID: UUID

        public init(attachmentUUID: UUID, recordUUID: UUID) {
            self.attachmentUUID = attachmentUUID
            self.recordUUID = recordUUID
        }
    }

    public var fileID: Int64
    public var name: String
    /// Empty for an unlinked file.
    public var attachments: [Link] = []

    public init(fileID: Int64, name: String, attachments: [Link] = []) {
        self.fileID = fileID
        self.name = name
        self.attachments = attachments
    }
}
