/// How large resumable uploads may be, and how long an unfinished one is kept.
public struct ResumableUploadLimits: Sendable, Hashable {
    /// The one largest-file limit of every path, unless an operator lets resumable uploads be larger.
    public static let defaultMaximumSize: Int64 = UploadPolicy.defaultMaximumFileSize
    public static let defaultLifetime: Duration = .seconds(24 * 3600)

    /// Largest resumable upload: the server's largest file, or more where the operator allows it.
    public var maximumSize: Int64
    /// How long an upload stays resumable after its last received bytes; then it expires and `gc`
    /// removes what it staged.
    public var lifetime: Duration
    /// How long a request appending to an upload holds it (renewed while bytes arrive), so a node that
    /// died mid-request does not block the upload for longer.
    public var lockLifetime: Duration = .seconds(15)

    public init(maximumSize: Int64 = defaultMaximumSize, lifetime: Duration = defaultLifetime) {
        self.maximumSize = maximumSize
        self.lifetime = lifetime
    }
}
