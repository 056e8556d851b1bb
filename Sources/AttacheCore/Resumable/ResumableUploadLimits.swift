/// How large resumable uploads may be, and how long an unfinished one is kept.
public struct ResumableUploadLimits: Sendable, Hashable {
    public static let defaultMaximumSize: Int64 = 5 * 1024 * 1024 * 1024
    public static let defaultLifetime: Duration = .seconds(24 * 3600)

    /// Largest resumable upload (separate from the file limit of one-request uploads).
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
