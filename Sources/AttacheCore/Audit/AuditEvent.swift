import Foundation

/// One entry of a tenant's audit trail. Events name records, files and attachments by their public
/// ids and outlive them.
public struct AuditEvent: Sendable, Hashable {
    /// Assigned by the store, increasing; 0 before the event is written.
    public var id: Int64
    public var time: Date
    public var tenantID: Int64
    public var action: AuditAction
    public var actor: AuditActor
    public var recordUUID: UUID?
    public var fileID: Int64?
    /// The file's name when the event was written (it outlives renames and deletion).
    public var fileName: String?
    public var attachmentUUID: UUID?
    /// Bytes stored, sent or offered, when the action moves content.
    public var size: Int64?
    public var clientAddress: String?
    public var requestID: String?
    /// What else explains the event: a refusal's error code and message, a malware signature, a token id.
    public var detail: String?

    public init(
        id: Int64, time: Date, tenantID: Int64, action: AuditAction, actor: AuditActor,
        recordUUID: UUID? = nil, fileID: Int64? = nil, fileName: String? = nil, attachmentUUID: UUID? = nil, size: Int64? = nil,
        clientAddress: String? = nil, requestID: String? = nil, detail: String? = nil
    ) {
        self.id = id
        self.time = time
        self.tenantID = tenantID
        self.action = action
        self.actor = actor
        self.recordUUID = recordUUID
        self.fileID = fileID
        self.fileName = fileName
        self.attachmentUUID = attachmentUUID
        self.size = size
        self.clientAddress = clientAddress
        self.requestID = requestID
        self.detail = detail
    }
}
