public import Foundation

/// Resumable (tus) uploads: their rows, the lease a `PATCH` holds, and their staged parts. (A role of
/// ``MetadataStore``.)
public protocol ResumableUploadStore: Sendable {
    /// Creates a resumable upload, receiving, with nothing received yet.
    func createResumableUpload(_ new: NewResumableUpload, id: UUID, tenantID: Int64, createdAt: Date, expiresAt: Date) async throws -> ResumableUpload
    /// The tenant's upload, whatever its state; `nil` when there is none.
    func resumableUpload(tenantID: Int64, id: UUID) async throws -> ResumableUpload?
    /// What the tenant's unfinished resumable uploads hold against its quota: each its declared length,
    /// or what it received while the length is deferred; `excluding` one upload.
    func resumableReservation(tenantID: Int64, excluding: UUID?) async throws -> Int64
    /// Takes (or renews) the right to append at `offset` to a receiving upload for `holder` until
    /// `until`: granted when the upload has exactly `offset` bytes and nobody holds it, the holder's
    /// time ran out, or `holder` has it already.
    /// - Returns: the upload as it is under the lock; `nil` when not granted.
    func lockResumableUpload(tenantID: Int64, id: UUID, at offset: Int64, holder: String, now: Date, until: Date) async throws -> ResumableUpload?
    /// Gives the right up (when `holder` still has it).
    func unlockResumableUpload(id: UUID, holder: String) async throws
    /// Registers, before any byte is written, the staging key `holder`'s chunk goes to, so gc keeps it
    /// while the lock lives. - Returns: whether `holder` still holds the upload.
    func registerResumableStaging(id: UUID, holder: String, stagingKey: String) async throws -> Bool
    /// Adds a part at the upload's current offset, moves the offset past it, fixes a deferred length,
    /// pushes the expiry back and gives the upload up — only while `holder` holds the upload and the
    /// offset is the part's.
    /// - Returns: the updated upload; `nil` when the lock or the offset moved (nothing changed).
    func appendResumablePart(
        tenantID: Int64, id: UUID, part: ResumablePart, holder: String, length: Int64?, expiresAt: Date
    ) async throws -> ResumableUpload?
    /// The upload's parts in offset order.
    func resumableParts(id: UUID) async throws -> [ResumablePart]
    /// Marks a receiving upload failed (its content was refused) and drops its parts.
    /// - Returns: the parts, whose staged content the caller discards.
    func failResumableUpload(tenantID: Int64, id: UUID, reason: String) async throws -> [ResumablePart]
    /// Deletes the upload (terminated by its client).
    /// - Returns: its parts, whose staged content the caller discards; `nil` when there was no upload.
    func deleteResumableUpload(tenantID: Int64, id: UUID) async throws -> [ResumablePart]?
    /// Deletes uploads that expired before `cutoff` (receiving ones) or were settled before it.
    /// - Returns: their parts, whose staged content the caller discards.
    func deleteExpiredResumableUploads(before cutoff: Date) async throws -> [ResumablePart]
    /// The staging keys of every part still referenced and every chunk being written, which staged-content
    /// cleanup must keep.
    func resumableStagingKeys() async throws -> Set<String>
}
