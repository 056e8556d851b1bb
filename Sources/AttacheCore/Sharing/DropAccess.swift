/// An upload through a live drop link: the caller it is received as (allowed to write, in the link's
/// tenant, audited as the link) and the policy its files are held to — the server's, with no file
/// larger than what the link still takes. Made only by ``AttacheService/openDrop(_:)``.
public struct DropAccess: Sendable {
    public let share: Share
    /// The caller the upload intake receives the files as.
    public let principal: Principal
    public let policy: UploadPolicy
    /// The record the files go into.
    public let record: Record
}
