extension AuditContext {
    /// The event of a change to `share`: its record, its attachment, and the share's id as detail.
    public func event(_ action: AuditAction, share: Share) -> AuditEvent {
        event(action, tenantID: share.tenantID, recordUUID: share.recordUUID, attachmentUUID: share.attachmentUUID, detail: "share \(share.id.lowercasedText)")
    }
}
