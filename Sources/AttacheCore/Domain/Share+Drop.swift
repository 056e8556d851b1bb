public import Foundation

extension Share {
    /// Why a drop link took none of `files` files of `bytes` bytes: it is gone (`notFound`, the same
    /// answer as for any link that is not a live one), or they would pass one of its limits
    /// (`linkExhausted`, saying what it still takes). Stores throw it when their count refuses.
    public static func dropRefusal(_ current: Share?, files: Int64, bytes: Int64, at time: Date) -> AttacheError {
        guard let current, current.kind == .upload, current.isLive(at: time) else {
            return AttacheError(.notFound, "This link does not exist, has expired or was revoked.")
        }
        if let left = current.filesLeft, files > left {
            return AttacheError(.linkExhausted, left == 0 ? "This link has taken all the files it was made for." : "This link takes \(left) more file\(left == 1 ? "" : "s").")
        }
        if let left = current.bytesLeft, bytes > left {
            return AttacheError(
                .linkExhausted,
                left == 0 ? "This link has taken all the bytes it was made for." : "This link takes \(ByteCountText.describe(left)) more, all files together."
            )
        }
        return AttacheError(.linkExhausted, "This link takes no more files.")
    }
}
