import Foundation

/// Stored content and its facts. Its bytes live in the blob store under ``blobAddress``.
public struct StoredFile: Sendable, Hashable, Codable {
    public var id: Int64
    public var uuid: UUID
    public var tenantID: Int64
    /// Sanitised original file name (see ``FileNameSanitizer``).
    public var name: String
    public var size: Int64
    public var mimeType: String
    public var kind: FileKind
    /// Lower-case hex SHA-256 of the content.
    public var sha256: String
    public var createdAt: Date
    public var updatedAt: Date
    /// What the malware scanner said of the content; an infected file is quarantined.
    public var scan: ScanStatus

    public init(
        id: Int64, uuid: UUID, tenantID: Int64, name: String, size: Int64, mimeType: String,
        kind: FileKind, sha256: String, createdAt: Date, updatedAt: Date, scan: ScanStatus = .unscanned
    ) {
        self.id = id
        self.uuid = uuid
        self.tenantID = tenantID
        self.name = name
        self.size = size
        self.mimeType = mimeType
        self.kind = kind
        self.sha256 = sha256
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.scan = scan
    }

    /// Where the content of this file is stored.
    public var blobAddress: BlobAddress { BlobAddress(tenantID: tenantID, sha256: sha256) }
}
