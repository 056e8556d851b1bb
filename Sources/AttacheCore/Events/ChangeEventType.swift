/// What a change event says happened. The raw value is the event's `type` on the wire (the events
/// feed and webhook deliveries).
public enum ChangeEventType: String, Sendable, Hashable, CaseIterable, Codable {
    case recordCreated = "record.created"
    case recordUpdated = "record.updated"
    case recordDeleted = "record.deleted"
    case attachmentCreated = "attachment.created"
    case attachmentUpdated = "attachment.updated"
    case attachmentDeleted = "attachment.deleted"
    /// A file was stored (through any face, a drop link or a resumable upload).
    case fileStored = "file.stored"
    /// An upload was refused for what it held (malware, size, type or the quota); nothing was stored.
    case fileRefused = "file.refused"
    /// A scan of stored content found malware; its files are quarantined.
    case fileInfected = "file.infected"
    /// A check of stored content found its bytes damaged; its files are quarantined.
    case fileDamaged = "file.damaged"
    case fileDeleted = "file.deleted"
    case shareCreated = "share.created"
    case shareUpdated = "share.updated"
    case shareRevoked = "share.revoked"
    /// Content was sent through a share link.
    case shareUsed = "share.used"
    /// An upload was refused because it would take the tenant past its quota (beside its `file.refused`).
    case quotaReached = "quota.reached"
    /// An attachment got a new version of its file (beside the new file's `file.stored`), an earlier
    /// version became current again, or a version that was not current was deleted.
    case versionCreated = "version.created"
    case versionRestored = "version.restored"
    case versionDeleted = "version.deleted"

    /// The change events an audit event stands for: none for what changes nothing a client keeps
    /// (downloads through tokens, sign-ins, tokens and credentials), one for most changes, two for a
    /// file stored into a record (the file, and the attachment its upload made) and for an upload
    /// refused at the quota.
    public static func of(_ audit: AuditEvent) -> [ChangeEventType] {
        switch audit.action {
        case .recordCreate: [.recordCreated]
        case .recordUpdate: [.recordUpdated]
        case .recordDelete: [.recordDeleted]
        case .attachmentCreate: [.attachmentCreated]
        case .attachmentUpdate: [.attachmentUpdated]
        case .attachmentDelete: [.attachmentDeleted]
        case .fileUpload: audit.attachmentUUID == nil ? [.fileStored] : [.fileStored, .attachmentCreated]
        case .fileRefuse:
            audit.refusalCode == AttacheError.Code.quotaExceeded.name ? [.fileRefused, .quotaReached] : [.fileRefused]
        case .fileQuarantine: audit.detail?.hasPrefix(ScanStatus.damagedDetailPrefix) == true ? [.fileDamaged] : [.fileInfected]
        case .fileDelete: [.fileDeleted]
        case .shareCreate: [.shareCreated]
        case .shareUpdate: [.shareUpdated]
        case .shareRevoke: [.shareRevoked]
        case .versionCreate: [.versionCreated]
        case .versionRestore: [.versionRestored]
        case .versionDelete: [.versionDeleted]
        case .fileDownload, .recordArchive:
            if case .share = audit.actor { [.shareUsed] } else { [] }
        case .signIn, .signInFail, .tokenCreate, .tokenRevoke, .credentialCreate, .credentialRotate, .credentialRevoke,
            .customFieldCreate, .customFieldUpdate, .customFieldDelete, .shareView, .shareRefuse, .webhookCreate, .webhookUpdate, .webhookDelete, .categoryCreate, .categoryUpdate,
            .categoryDelete:
            []
        }
    }
}
