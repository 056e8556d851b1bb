public import Foundation

/// A record's attachments as one ZIP archive, laid out (``ZipLayout``) but not yet read: what a
/// response needs before its first byte (length, ETag, name), and what ``AttacheService/openArchive(_:_:range:)``
/// streams.
public struct RecordArchive: Sendable {
    public let record: Record
    /// The attachments in the archive, in its order (by attachment id).
    public let files: [AttachedFile]
    public let layout: ZipLayout
    /// A strong validator: the same entries (names, contents, times) always give the same bytes.
    public let etag: String

    init(record: Record, files: [AttachedFile], layout: ZipLayout, etag: String) {
        self.record = record
        self.files = files
        self.layout = layout
        self.etag = etag
    }

    /// The archive's length in bytes.
    public var size: Int64 { layout.size }

    /// When its newest file was stored (the record's creation for an empty archive).
    public var lastModified: Date {
        files.map(\.file.createdAt).max() ?? record.createdAt
    }

    /// `<title>.zip`, or the record's type and reference when it has no title.
    public var fileName: String {
        let title = record.title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let base = title.isEmpty ? "\(record.type.rawValue)-\(record.reference)" : title
        return ZipEntryNames.make([base]).first.map { $0 + ".zip" } ?? "archive.zip"
    }
}
