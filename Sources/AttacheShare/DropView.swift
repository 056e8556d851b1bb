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
    /// The largest one file may be.
    var maximumFileSize: Int64
    /// Where files go: `POST`, `multipart/form-data`, one or several file parts.
    var uploadUrl: String

    init(share: Share, policy: UploadPolicy, base: String) {
        label = share.label
        expiresAt = share.expiresAt
        filesLeft = share.filesLeft
        bytesLeft = share.bytesLeft
        maximumFileSize = policy.maximumFileSize
        uploadUrl = base + "/files"
    }
}
