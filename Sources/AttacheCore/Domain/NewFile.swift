import Foundation

/// The facts of a file about to be stored, as established by an ``UploadSession``.
public struct NewFile: Sendable, Hashable {
    public var uuid: UUID
    public var name: String
    public var size: Int64
    public var mimeType: String
    public var kind: FileKind
    public var sha256: String
    /// Whether a scanner called the content clean on its way in.
    public var scanned: Bool
    /// The content's CRC-32 (kept with the blob, for ZIP archives); `nil` when not computed.
    public var crc32: UInt32?

    public init(
        uuid: UUID = UUID(), name: String, size: Int64, mimeType: String, kind: FileKind, sha256: String, scanned: Bool = false, crc32: UInt32? = nil
    ) {
        self.crc32 = crc32
        self.uuid = uuid
        self.name = name
        self.size = size
        self.mimeType = mimeType
        self.kind = kind
        self.sha256 = sha256
        self.scanned = scanned
    }
}
