import Foundation

/// Who causes a change, from where and when: what a metadata store needs to write the audit events of
/// a change in the change's own transaction.
public struct AuditContext: Sendable, Hashable {
    public var actor: AuditActor
    public var origin: RequestOrigin
    public var time: Date

    public init(actor: AuditActor, origin: RequestOrigin = RequestOrigin(), time: Date = Date()) {
        self.actor = actor
        self.origin = origin
        self.time = time
    }

    /// An event of this context in `tenantID`.
    public func event(
        _ action: AuditAction,
        tenantID: Int64,
        recordUUID: UUID? = nil,
        fileID: Int64? = nil,
        fileName: String? = nil,
        attachmentUUID: UUID? = nil,
        size: Int64? = nil,
        detail: String? = nil
    ) -> AuditEvent {
        AuditEvent(
            id: 0, time: time, tenantID: tenantID, action: action, actor: actor,
            recordUUID: recordUUID, fileID: fileID, fileName: fileName, attachmentUUID: attachmentUUID, size: size,
            clientAddress: origin.clientAddress, requestID: origin.requestID, detail: detail
        )
    }
}
