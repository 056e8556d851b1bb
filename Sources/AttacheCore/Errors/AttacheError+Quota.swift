extension AttacheError {
    /// The refusal of an upload that does not fit the tenant's quota, naming the limit it would pass
    /// and what is left of it, in words and in ``quota``.
    public static func quotaExceeded(_ refusal: QuotaRefusal, fileName: String? = nil) -> AttacheError {
        let upload = fileName.map { "'\($0)'" } ?? "The upload"
        let message =
            switch refusal.limit {
            case .bytes:
                "\(upload) does not fit the tenant's quota of \(ByteCountText.describe(refusal.maximum)): "
                    + "\(ByteCountText.describe(refusal.remaining)) left. Nothing was stored; delete files or ask for a larger quota."
            case .files:
                "\(upload) does not fit the tenant's quota of \(refusal.maximum) \(refusal.maximum == 1 ? "file" : "files"): \(refusal.remaining) left. "
                    + "Nothing was stored; delete files or ask for a larger quota."
            }
        var error = AttacheError(.quotaExceeded, message)
        error.quota = refusal
        return error
    }
}
