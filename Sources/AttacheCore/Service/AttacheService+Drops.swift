public import Foundation

/// Drop links: people outside the CRM send files into a record through the one upload intake (types,
/// size, malware scan, the tenant's quota, dedup, audit with the link as actor), and see nothing of it.
extension AttacheService {
    /// Opens a drop link for an upload. The limits are checked here so that a full link refuses before
    /// the body is read, and again, exactly, when the files are stored (``storeDroppedFiles(_:_:)``).
    /// - Parameter takingBytes: `false` to ask about (or abandon) a resumable upload already made: a
    ///   full link still answers, since the file that filled it may be that upload's.
    /// - Throws: `notFound` for a download share (it takes no files) or a record that is gone;
    ///   `linkExhausted` when the link has taken all it was made for.
    public func openDrop(_ access: SharedAccess, takingBytes: Bool = true) async throws -> DropAccess {
        let share = access.share
        guard share.kind == .upload else {
            throw AttacheError(.notFound, "This link shows files; it takes none.")
        }
        if takingBytes, share.isExhausted {
            throw Share.dropRefusal(share, files: 1, bytes: 1, at: Date())
        }
        var principal = access.principal
        principal.scope = .write
        let record = try await record(principal, uuid: share.recordUUID)
        return DropAccess(share: share, principal: principal, policy: dropPolicy(share), record: record)
    }

    /// What a file sent through a drop link is held to: the server's policy, with no file larger than
    /// what the link still takes.
    public func dropPolicy(_ share: Share) -> UploadPolicy {
        policy.narrowed(maximumFileSize: share.bytesLeft.map { max($0, 1) }, allowedTypeNames: nil)
    }

    /// Makes a resumable upload through a drop link, into the link's record. Its length is declared up
    /// front (no deferred length, no concatenation) and must fit what the link still takes; the file
    /// counts against the link when its last byte is in and the file is stored, exactly, so
    /// uploads racing past a limit are refused then.
    /// - Throws: `invalidInput` without a length or with a concatenation; `linkExhausted`; what
    ///   ``createResumableUpload(_:_:)`` throws.
    public func createDropUpload(_ drop: DropAccess, _ new: NewResumableUpload) async throws -> ResumableUpload {
        guard new.concatenation == nil else {
            throw AttacheError(.invalidInput, "A drop link takes whole files: send each as one upload, without Upload-Concat.")
        }
        guard let length = new.length else {
            throw AttacheError(.invalidInput, "A drop link needs each upload's length up front: send Upload-Length.")
        }
        let share = drop.share
        if share.filesLeft.map({ $0 < 1 }) == true || share.bytesLeft.map({ length > $0 }) == true {
            throw Share.dropRefusal(share, files: 1, bytes: length, at: Date())
        }
        var new = new
        new.recordUUID = drop.record.uuid
        new.description = nil
        new.dropShare = share.id
        return try await createResumableUpload(drop.principal, new)
    }

    /// Stores the files of one request to a drop link in its record, all or none: each a new
    /// attachment (the same name twice is two files), counted against the link's limits in the same
    /// transaction, so racing uploads never pass them together.
    /// - Throws: `linkExhausted` when the files would pass a limit; `notFound` when the link was revoked
    ///   or expired meanwhile; the upload intake's errors.
    public func storeDroppedFiles(_ drop: DropAccess, _ batch: UploadBatch) async throws -> [StoredFile] {
        let link = AttachmentLink(recordID: drop.record.id, description: nil, dropShare: drop.share.id)
        return try await storeFiles(drop.principal, batch, linkTo: link).map(\.0)
    }
}
