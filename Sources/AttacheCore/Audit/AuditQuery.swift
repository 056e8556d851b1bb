import Foundation

/// Which audit events to list; every set field must match.
public struct AuditQuery: Sendable, Hashable {
    public var recordUUID: UUID?
    public var fileID: Int64?
    public var action: AuditAction?
    /// Events at or after this time.
    public var since: Date?

    public init(recordUUID: UUID? = nil, fileID: Int64? = nil, action: AuditAction? = nil, since: Date? = nil) {
        self.recordUUID = recordUUID
        self.fileID = fileID
        self.action = action
        self.since = since
    }
}
