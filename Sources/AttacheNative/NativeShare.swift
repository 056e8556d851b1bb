import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// A share link as the native API shows it. Its `token` and `url` are there only in the answer that
/// made it (``init(_:issued:request:links:)``): the server keeps a hash of the token and cannot show it again.
struct NativeShare: ResponseEncodable {
    var id: String
    /// `download`: a link that shows and serves content; `upload`: a drop link, which takes files into
    /// its record and shows none.
    var kind: String
    /// `attachment` or `record`.
    var target: String
    var recordUuid: String
    @ExplicitNull var attachmentUuid: String?
    @ExplicitNull var label: String?
    @ExplicitNull var expiresAt: Date?
    @ExplicitNull var maxDownloads: Int64?
    var downloads: Int64
    @ExplicitNull var maxFiles: Int64?
    @ExplicitNull var maxBytes: Int64?
    var filesReceived: Int64
    var bytesReceived: Int64
    var hasPassword: Bool
    /// `active`, `expired`, `exhausted` or `revoked`.
    var status: String
    var createdAt: Date
    var updatedAt: Date
    @ExplicitNull var revokedAt: Date?
    var token: String?
    var url: String?

    init(_ share: Share, now: Date = Date()) {
        id = share.id.lowercasedText
        kind = share.kind.rawValue
        switch share.target {
        case .attachment(let uuid):
            target = "attachment"
            attachmentUuid = uuid.lowercasedText
        case .record:
            target = "record"
            attachmentUuid = nil
        }
        recordUuid = share.recordUUID.lowercasedText
        label = share.label
        expiresAt = share.expiresAt
        maxDownloads = share.maxDownloads
        downloads = share.downloads
        maxFiles = share.maxFiles
        maxBytes = share.maxBytes
        filesReceived = share.filesReceived
        bytesReceived = share.bytesReceived
        hasPassword = share.hasPassword
        status = share.revokedAt != nil ? "revoked" : !share.isLive(at: now) ? "expired" : share.isExhausted ? "exhausted" : "active"
        createdAt = share.createdAt
        updatedAt = share.updatedAt
        revokedAt = share.revokedAt
    }

    /// A share just made: with its token and its public link.
    init(issued: IssuedShare, request: Request, links: LinkBuilder) {
        self.init(issued.share)
        token = issued.token
        url = links.publicURL(path: "/s/\(issued.token)", request: request)
    }
}
