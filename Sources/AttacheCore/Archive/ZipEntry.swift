public import Foundation

/// One file of a ZIP archive: stored as it is (documents are compressed already), with the name,
/// size, CRC-32 and time its headers carry.
public struct ZipEntry: Sendable, Hashable {
    /// The name in the archive (see ``ZipEntryNames``).
    public var name: String
    public var size: Int64
    public var crc32: UInt32
    public var modified: Date

    public init(name: String, size: Int64, crc32: UInt32, modified: Date) {
        self.name = name
        self.size = size
        self.crc32 = crc32
        self.modified = modified
    }
}
