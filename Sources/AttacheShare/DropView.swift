import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// A drop link as its page shows it, and as its JSON variant (`Accept: application/json`) sends it:
/// what it still takes and where to send files. Nothing of the record or of what was sent.
struct DropView: ResponseEncodable {
    /// Always `upload`.
    var kind = "upload"
    @ExplicitNull var label: String?
    @ExplicitNull var expiresAt: Date?
    @ExplicitNull var filesLeft: Int64?
    @ExplicitNull var bytesLeft: Int64?
    /// The largest one file may be (sent resumably when it is larger than ``maximumFormFileSize``).
    var maximumFileSize: Int64
    /// The largest one file sent to ``uploadUrl`` may be.
    var maximumFormFileSize: Int64
    /// Where files go: `POST`, `multipart/form-data`, one or several file parts.
    var uploadUrl: String
    /// Where large files go, resumably: tus 1.0 (creation, termination, checksum), `Upload-Length` required.
    var resumableUrl: String

    init(share: Share, policy: UploadPolicy, resumableLimits: ResumableUploadLimits, base: String) {
        label = share.label
        expiresAt = share.expiresAt
        filesLeft = share.filesLeft
        bytesLeft = share.bytesLeft
        maximumFormFileSize = policy.maximumFileSize
        maximumFileSize = max(policy.maximumFileSize, min(resumableLimits.maximumSize, share.bytesLeft ?? .max))
        uploadUrl = base + "/files"
        resumableUrl = base + "/uploads"
    }
}
