public import Foundation

/// What a change of a share sets; `nil` leaves a field as it is, `.some(nil)` clears it.
public struct ShareChange: Sendable, Hashable {
    public var label: String??
    public var expiresAt: Date??
    public var maxDownloads: Int64??
    public var maxFiles: Int64??
    public var maxBytes: Int64??
    /// The new password's hash (``PasswordHash``), or `.some(nil)` to remove the password.
    public var passwordHash: String??

    public init(
        label: String?? = nil, expiresAt: Date?? = nil, maxDownloads: Int64?? = nil, maxFiles: Int64?? = nil, maxBytes: Int64?? = nil,
        passwordHash: String?? = nil
    ) {
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
        self.label = label
        self.expiresAt = expiresAt
        self.maxDownloads = maxDownloads
        self.passwordHash = passwordHash
    }
}
