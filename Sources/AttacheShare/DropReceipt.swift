import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// The answer to files sent through a drop link (`201`): what arrived, as the sender can check it —
/// names as stored, sizes and digests — and what the link still takes. No uuid, no link to anything.
struct DropReceipt: ResponseEncodable {
    struct File: Encodable, Sendable {
        var name: String
        var size: Int64
        var sha256: String
    }

    var files: [File]
    @ExplicitNull var filesLeft: Int64?
    @ExplicitNull var bytesLeft: Int64?

    init(files stored: [StoredFile], share: Share) {
        files = stored.map { File(name: $0.name, size: $0.size, sha256: $0.sha256) }
        let count = Int64(stored.count)
        let bytes = stored.reduce(0) { $0 + $1.size }
        // The link's counts as they were when it was opened, plus these files (others may have arrived meanwhile).
        filesLeft = share.maxFiles.map { max($0 - share.filesReceived - count, 0) }
        bytesLeft = share.maxBytes.map { max($0 - share.bytesReceived - bytes, 0) }
    }
}
