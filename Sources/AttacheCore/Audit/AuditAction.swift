/// What an audit event records. The raw value is the event's `action` on the wire and in storage.
public enum AuditAction: String, Sendable, Hashable, CaseIterable, Codable {
    case recordCreate = "record.create"
    case recordUpdate = "record.update"
    case recordDelete = "record.delete"
    /// A record's attachments were downloaded as one ZIP archive; the size is the bytes sent.
    case recordArchive = "record.archive"
    /// A file was stored (and linked, when the upload named a record).
    case fileUpload = "file.upload"
    /// An upload was refused for its content: malware, quota, size or type. Nothing was stored.
    case fileRefuse = "file.refuse"
    /// Content was sent; the event's size is the bytes actually sent, written when the transfer ended.
    case fileDownload = "file.download"
    case fileDelete = "file.delete"
    /// A rescan found malware in stored content; the file is quarantined.
    case fileQuarantine = "file.quarantine"
    case attachmentCreate = "attachment.create"
    case attachmentUpdate = "attachment.update"
    case attachmentDelete = "attachment.delete"
    /// Vendor credentials were exchanged for a token.
    case signIn = "sign_in"
    /// A sign-in with a known identifier and a wrong secret (or while locked out).
    case signInFail = "sign_in.fail"
    case tokenCreate = "token.create"
    case tokenRevoke = "token.revoke"
    /// Vendor sign-in credentials (a Bloxs API key, an ONLYOFFICE user) were made, given a new secret
    /// (ending their sessions) or revoked (ending their sessions); the detail names them.
    case credentialCreate = "credential.create"
    case credentialRotate = "credential.rotate"
    case credentialRevoke = "credential.revoke"
    /// A file custom field (HighLevel) was defined, changed or removed; the detail names it.
    case customFieldCreate = "custom_field.create"
    case customFieldUpdate = "custom_field.update"
    case customFieldDelete = "custom_field.delete"
    /// A share link was made, changed or revoked; the detail names it.
    case shareCreate = "share.create"
    case shareUpdate = "share.update"
    case shareRevoke = "share.revoke"
    /// Someone opened a share's page (actor: the share).
    case shareView = "share.view"
    /// A wrong password was given for a share (actor: the share).
    case shareRefuse = "share.refuse"
    /// A webhook endpoint was made, changed (its secret rotated, or disabled after its receiver
    /// answered `410 Gone`) or deleted; the detail names it.
    case webhookCreate = "webhook.create"
    case webhookUpdate = "webhook.update"
    case webhookDelete = "webhook.delete"
    /// A new version of an attachment's file was stored, an earlier one made current again (no bytes
    /// copied), or one that is not current deleted; the detail names the version.
    case versionCreate = "version.create"
    case versionRestore = "version.restore"
    case versionDelete = "version.delete"
    /// A category was defined, changed or removed; the detail names it.
    case categoryCreate = "category.create"
    case categoryUpdate = "category.update"
    case categoryDelete = "category.delete"
}
