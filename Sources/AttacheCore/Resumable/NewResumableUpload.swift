public import Foundation

/// What a client declares when it creates a resumable upload.
public struct NewResumableUpload: Sendable, Hashable {
    /// The total size; `nil` when the client defers it to a later request.
    public var length: Int64?
    /// The client's `Upload-Metadata`, as sent.
    public var metadata: String?
    public var fileName: String
    public var description: String?
    /// The record (public id) to attach the file to.
    public var recordUUID: UUID?
    public var concatenation: ResumableUpload.Concatenation?
    /// The drop link it comes through: ``AttacheService/createDropUpload(_:_:)`` sets it, and the service
    /// takes it from no caller but that link.
    public var dropShare: UUID?
    /// The attachment it becomes the new version of (tus `Upload-Metadata: attachment <uuid>`, with
    /// `If-Match` on the creating request), checked at creation and again when the file is stored.
    public var newVersionOf: VersionPrecondition?
    /// The category and tags its attachment gets (tus `Upload-Metadata: category …, tags a,b`).
    public var category: String?
    public var tags: [String] = []

    public init(
        length: Int64?, metadata: String?, fileName: String, description: String? = nil, recordUUID: UUID? = nil,
        concatenation: ResumableUpload.Concatenation? = nil
    ) {
        self.length = length
        self.metadata = metadata
        self.fileName = fileName
        self.description = description
        self.recordUUID = recordUUID
        self.concatenation = concatenation
    }
}
