import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// What a share shows at the moment of the request, as the page renders it and as its JSON variant
/// (`Accept: application/json`) sends it: no record uuid, reference or anything else of the CRM's
/// beyond a record's title and the files.
struct SharedView: ResponseEncodable {
    struct File: Encodable, Sendable {
        var uuid: String
        var name: String
        var size: Int64
        var mimeType: String
        var sha256: String
        var createdAt: Date
        /// The content, counted as a download.
        var url: String
    }

    /// `attachment` or `record`.
    var target: String
    /// The record's title (a record share), or the file's name.
    var title: String
    @ExplicitNull var label: String?
    @ExplicitNull var expiresAt: Date?
    @ExplicitNull var maxDownloads: Int64?
    var downloads: Int64
    var files: [File]
    /// A record share's ZIP of every file; `null` for one file.
    @ExplicitNull var archiveUrl: String?

    init(access: SharedAccess, record: Record, files: [AttachedFile], base: String) {
        let share = access.share
        self.files = files.map { attached in
            File(
                uuid: attached.attachment.uuid.lowercasedText, name: attached.file.name, size: attached.file.size, mimeType: attached.file.mimeType,
                sha256: attached.file.sha256, createdAt: attached.file.createdAt,
                url: base + "/files/" + attached.attachment.uuid.lowercasedText
            )
        }
        switch share.target {
        case .attachment:
            target = "attachment"
            title = files.first?.file.name ?? "File"
            archiveUrl = nil
        case .record:
            target = "record"
            title = record.title.flatMap { $0.isEmpty ? nil : $0 } ?? "Documents"
            archiveUrl = base + "/archive.zip"
        }
        label = share.label
        expiresAt = share.expiresAt
        maxDownloads = share.maxDownloads
        downloads = share.downloads
    }

    /// Downloads this link still serves; `nil`: no limit.
    var downloadsLeft: Int64? {
        maxDownloads.map { max($0 - downloads, 0) }
    }
}
