public import Foundation

/// An upload received in pieces over several requests (tus): how far it has come and what it becomes.
///
/// Its state lives in the metadata store, so any node can continue it. The bytes received so far are
/// staged pieces (``ResumablePart``), one per request that sent some; when the last byte is in, they
/// are read back in order through an ``UploadSession`` — every rule of a normal upload applies — and
/// the result is stored as a file (and attachment) like any other.
public struct ResumableUpload: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Bytes are still expected (or the last ones are being turned into a file).
        case receiving
        /// Stored: ``fileID`` (and ``attachmentUUID`` when linked to a record) say which.
        case complete
        /// Its content was refused when it was complete (``failure`` says why); nothing was stored.
        case failed
    }

    /// tus concatenation: parts uploaded in parallel, then joined by a final upload.
    public enum Concatenation: Sendable, Hashable {
        /// A part: never a file by itself.
        case partial
        /// The parts' contents, in this order, make the file.
        case final([UUID])
    }

    public var id: UUID
    public var tenantID: Int64
    /// The total size; `nil` while the client defers it.
    public var length: Int64?
    /// Bytes durably received (the sum of the parts).
    public var offset: Int64
    /// The client's `Upload-Metadata`, as sent (echoed back on `HEAD`).
    public var metadata: String?
    public var fileName: String
    public var description: String?
    /// The record the file is attached to once stored; `nil` for an unlinked file.
    public var recordUUID: UUID?
    public var concatenation: Concatenation?
    public var createdAt: Date
    public var expiresAt: Date
    public var state: State
    public var fileID: Int64?
    public var attachmentUUID: UUID?
    public var failure: String?
    /// The drop link it came through: only that link reaches it, and its file counts against the
    /// link's limits when it is stored.
    public var dropShare: UUID?
    /// The attachment it becomes the new version of, and the content that attachment must still show.
    public var newVersionOf: VersionPrecondition?
    /// The category and tags its attachment gets (checked when it was created).
    public var category: String?
    public var tags: [String] = []

    public init(
        id: UUID, tenantID: Int64, length: Int64?, offset: Int64, metadata: String?, fileName: String, description: String?,
        recordUUID: UUID?, concatenation: Concatenation?, createdAt: Date, expiresAt: Date, state: State,
        fileID: Int64? = nil, attachmentUUID: UUID? = nil, failure: String? = nil, dropShare: UUID? = nil, newVersionOf: VersionPrecondition? = nil
    ) {
        self.newVersionOf = newVersionOf
        self.id = id
        self.tenantID = tenantID
        self.length = length
        self.offset = offset
        self.metadata = metadata
        self.fileName = fileName
        self.description = description
        self.recordUUID = recordUUID
        self.concatenation = concatenation
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.state = state
        self.fileID = fileID
        self.attachmentUUID = attachmentUUID
        self.failure = failure
        self.dropShare = dropShare
    }

    /// Every byte has arrived.
    public var isFullyReceived: Bool { length == offset }

    /// Whether it becomes a file when fully received (a partial upload waits to be concatenated).
    public var becomesFile: Bool { concatenation != .partial }
}
