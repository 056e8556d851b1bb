public import Foundation
import Logging
public import NIOCore
import Tracing

extension AttacheService {
    /// Creates a resumable upload. A `final` concatenation of finished partial uploads, or an empty
    /// upload, is stored at once. Refused early: a declared length over ``ResumableUploadLimits/maximumSize`` or the quota,
    /// a record that does not exist.
    public func createResumableUpload(_ principal: Principal, _ new: NewResumableUpload) async throws -> ResumableUpload {
        try principal.require(.write)
        // Through a drop link, only ``createDropUpload(_:_:)`` makes uploads (it names the link).
        guard new.dropShare == principal.share else {
            throw AttacheError(.forbidden, "An upload through a link is made for that link.")
        }
        var new = new
        new.fileName = FileNameSanitizer.sanitize(new.fileName)
        try policy.checkName(new.fileName)
        if case .final(let partIDs) = new.concatenation {
            new.length = try await concatenatedLength(principal, of: partIDs)
        }
        if let length = new.length {
            try checkResumableLength(length)
            // A final concatenation's bytes are its partial uploads', which reserved them already.
            if case .final = new.concatenation {} else {
                try await checkQuota(principal, incomingBytes: length)
            }
        }
        if let precondition = new.newVersionOf {
            // A new version: of an attachment that still shows the content named, in its record.
            guard new.dropShare == nil, new.concatenation != .partial else {
                throw AttacheError(.invalidInput, "A new version is one upload of a caller with a token, not a partial upload or a drop.")
            }
            let (attached, _) = try await versionPrecondition(principal, of: precondition.attachmentUUID, ifMatch: "\"\(precondition.currentSHA256)\"")
            guard new.recordUUID == nil || new.recordUUID == attached.record.uuid else {
                throw AttacheError(.invalidInput, "The metadata 'record' is not the attachment's record.")
            }
            new.recordUUID = attached.record.uuid
        } else if let recordUUID = new.recordUUID {
            _ = try await record(principal, uuid: recordUUID)
        }
        try await checkLabels(of: &new, principal)
        let now = Date()
        let upload = try await metadata.createResumableUpload(
            new, id: UUID(), tenantID: principal.tenant.id, createdAt: now, expiresAt: now.addingTimeInterval(resumableLifetime)
        )
        // A final concatenation, or an empty upload, has all its bytes already.
        guard upload.isFullyReceived, upload.becomesFile else { return upload }
        return try await completeResumableUpload(principal, upload)
    }

    /// The tenant's upload. One whose bytes have all arrived but that was not stored (its node stopped
    /// in between) is stored now.
    /// - Throws: `notFound`; `uploadGone` when it expired.
    public func resumableUpload(_ principal: Principal, id: UUID) async throws -> ResumableUpload {
        try principal.require(.read)
        guard let upload = try await metadata.resumableUpload(tenantID: principal.tenant.id, id: id), Self.reaches(principal, upload) else {
            throw Self.noSuchUpload(id)
        }
        guard upload.state != .receiving || upload.expiresAt > Date() else {
            throw AttacheError(.uploadGone, "The upload \(id.lowercasedText) expired.")
        }
        if upload.state == .receiving, upload.isFullyReceived, upload.becomesFile, principal.scope.permits(.write) {
            return try await completeResumableUpload(principal, upload)
        }
        return upload
    }

    /// Appends the bytes `receive` delivers to the upload, at `offset`, and stores the file when the
    /// last byte is in.
    ///
    /// One request at a time may append (the others get `uploadLocked`), on any node. The chunk is
    /// staged durably before the offset moves; a chunk cut short by the network keeps what arrived,
    /// unless it carries a checksum (then it cannot be checked, and is dropped).
    /// - Parameters:
    ///   - length: the total size, when the client deferred it and declares it now.
    ///   - receive: reads the request body, handing each chunk to the function it is given.
    /// - Throws: `offsetMismatch`, `uploadLocked`, `checksumMismatch`, `contentTooLarge`, `uploadGone`,
    ///   and what storing the finished file can throw.
    public func appendToResumableUpload(
        _ principal: Principal,
        id: UUID,
        offset: Int64,
        length declaredLength: Int64?,
        checksum: ChunkChecksum?,
        receive: (_ write: (ByteBuffer) async throws -> Void) async throws -> Void
    ) async throws -> ResumableUpload {
        try principal.require(.write)
        var upload = try await resumableUpload(principal, id: id)
        if case .final = upload.concatenation {
            throw AttacheError(.forbidden, "A final upload takes no bytes: its partial uploads have them.")
        }
        guard upload.state == .receiving else {
            throw Self.takesNoBytes(upload)
        }
        let length = try settledLength(of: upload, declared: declaredLength)
        if upload.length == nil, let length {
            try await checkQuota(principal, incomingBytes: length, excludingUpload: upload.id)
        }
        // A chunk for another offset is refused without taking the upload (checked again under the lock).
        guard offset == upload.offset else {
            throw Self.offsetMismatch(upload, offset)
        }
        let holder = nodeID + "/" + UUID().lowercasedText
        let lockLifetime = TimeInterval(resumableLimits.lockLifetime.components.seconds)
        // The lock is taken at this offset only, and what it returns is what this request works from:
        // a request that read the upload before another one moved it must not write past its end.
        guard let locked = try await metadata.lockResumableUpload(
            tenantID: principal.tenant.id, id: id, at: offset, holder: holder, now: Date(), until: Date().addingTimeInterval(lockLifetime)
        ) else {
            // Not granted: say why, from the upload as it is now.
            guard let current = try await metadata.resumableUpload(tenantID: principal.tenant.id, id: id) else { throw Self.noSuchUpload(id) }
            guard current.state == .receiving else { throw Self.takesNoBytes(current) }
            guard current.offset == offset else { throw Self.offsetMismatch(current, offset) }
            throw AttacheError(.uploadLocked, "Another request is sending bytes of upload \(id.lowercasedText); try again when it ends.")
        }
        do {
            upload = try await appendLocked(
                principal, upload: locked, offset: offset, length: try settledLength(of: locked, declared: declaredLength), checksum: checksum,
                holder: holder, receive: receive
            )
        } catch let error as AttacheError where error.code == .unsupportedMediaType {
            // Its first bytes are not what its name says: no later byte can change that.
            var record: Record?
            if let recordUUID = locked.recordUUID {
                record = try? await self.record(principal, uuid: recordUUID)  // allowed: the refusal is audited without it
            }
            try await refuse(locked, for: error, principal: principal, record: record)
        } catch {
            try? await metadata.unlockResumableUpload(id: id, holder: holder)  // allowed: the lock runs out by itself
            throw error
        }
        // Appending the part gave the upload up, in the same transaction.
        guard upload.isFullyReceived, upload.becomesFile else { return upload }
        return try await completeResumableUpload(principal, upload)
    }

    /// Deletes the upload and what it staged (tus termination). - Throws: `notFound`.
    public func terminateResumableUpload(_ principal: Principal, id: UUID) async throws {
        try principal.require(.write)
        if principal.share != nil {
            guard let upload = try await metadata.resumableUpload(tenantID: principal.tenant.id, id: id), Self.reaches(principal, upload) else {
                throw Self.noSuchUpload(id)
            }
        }
        guard let parts = try await metadata.deleteResumableUpload(tenantID: principal.tenant.id, id: id) else {
            throw Self.noSuchUpload(id)
        }
        await resumableDigests.remove(id)
        await blobs.discard(all: parts.map(\.staged))
    }

    // MARK: - Steps

    /// Whether the caller may see the upload: any of its tenant's, or, through a drop link, only those
    /// made through that link.
    private static func reaches(_ principal: Principal, _ upload: ResumableUpload) -> Bool {
        principal.share == nil || upload.dropShare == principal.share
    }

    private static func noSuchUpload(_ id: UUID) -> AttacheError {
        AttacheError(.notFound, "There is no upload \(id.lowercasedText).")
    }

    private static func offsetMismatch(_ upload: ResumableUpload, _ offset: Int64) -> AttacheError {
        AttacheError(.offsetMismatch, "The upload has \(upload.offset) bytes; this chunk starts at \(offset).")
    }

    private static func takesNoBytes(_ upload: ResumableUpload) -> AttacheError {
        AttacheError(.uploadGone, "The upload \(upload.id.lowercasedText) is \(upload.state.rawValue); it takes no more bytes.")
    }

    private var resumableLifetime: TimeInterval { TimeInterval(resumableLimits.lifetime.components.seconds) }

    private func checkResumableLength(_ length: Int64) throws(AttacheError) {
        guard length >= 0 else { throw AttacheError(.invalidInput, "An upload's length cannot be negative.") }
        guard length <= resumableLimits.maximumSize else {
            throw AttacheError(
                .contentTooLarge,
                "The upload (\(ByteCountText.describe(length))) is larger than the largest file accepted, \(ByteCountText.describe(resumableLimits.maximumSize))."
            )
        }
    }

    /// The total size once this request is taken into account; `nil` while it stays deferred.
    private func settledLength(of upload: ResumableUpload, declared: Int64?) throws(AttacheError) -> Int64? {
        guard let declared else { return upload.length }
        if let length = upload.length, length != declared {
            throw AttacheError(.invalidInput, "The upload's length is \(length) already; it cannot change to \(declared).")
        }
        try checkResumableLength(declared)
        guard declared >= upload.offset else {
            throw AttacheError(.invalidInput, "The length \(declared) is less than the \(upload.offset) bytes already received.")
        }
        return declared
    }

    private func appendLocked(
        _ principal: Principal, upload: ResumableUpload, offset: Int64, length: Int64?, checksum: ChunkChecksum?, holder: String,
        receive: (_ write: (ByteBuffer) async throws -> Void) async throws -> Void
    ) async throws -> ResumableUpload {
        // The lock was granted only at `offset`, so `upload` (as the lock returned it) has exactly that many bytes.
        let limit = length ?? resumableLimits.maximumSize
        // While the length is deferred, its bytes can only go as far as the room the quota leaves (a
        // declared length reserved its room when it was declared).
        var quotaRoom: (end: Int64, refusal: QuotaRefusal)?
        if length == nil, principal.tenant.quota.maximumBytes != nil {
            let usage = try await usageWithReservations(principal, excluding: upload.id)
            if let maximum = usage.quota.maximumBytes {
                quotaRoom = (max(maximum - usage.bytes, 0), QuotaRefusal(limit: .bytes, maximum: maximum, used: usage.bytes))
            }
        }
        // Where the store can append, the chunk goes at the end of the upload's staged content.
        let continuing = Self.stagedContent(of: try await metadata.resumableParts(id: upload.id)).last
        let writer = try await blobs.makeWriter(continuing: continuing)
        // Registered before a byte is written: gc's sweep keeps it while this request holds the upload.
        guard try await metadata.registerResumableStaging(id: upload.id, holder: holder, stagingKey: writer.stagingKey) else {
            await writer.abort()
            throw AttacheError(.uploadLocked, "Another request took upload \(upload.id.lowercasedText) over; ask for its offset again.")
        }
        var hasher = checksum.map { ChunkChecksum.Hasher($0.algorithm) }
        // The chunk goes through the write path every upload shares (batches, digest); the whole
        // content's digest goes on from the previous chunk when that one came to this node.
        var pipe = StagingPipe(
            writer: writer, continuing: upload.offset == 0 ? ContentDigestState() : await resumableDigests.state(of: upload.id, at: upload.offset)
        )
        var refusal: AttacheError?
        var typeChecked = false
        var lastRenewal = ContinuousClock.now
        let renewal = resumableLimits.lockLifetime / 3
        let lockLifetime = TimeInterval(resumableLimits.lockLifetime.components.seconds)
        do {
            try await receivingUpload { span in
                defer { span.attributes["attache.bytes"] = pipe.taken }
                try await receive { chunk in
                    let end = offset + pipe.taken + Int64(chunk.readableBytes)
                    guard end <= limit else {
                        let error = AttacheError(.contentTooLarge, "The chunk goes past the upload's length of \(limit) bytes.")
                        refusal = error
                        throw error
                    }
                    if let quotaRoom, end > quotaRoom.end {
                        let error = AttacheError.quotaExceeded(quotaRoom.refusal)
                        refusal = error
                        throw error
                    }
                    chunk.withUnsafeReadableBytes { hasher?.update($0) }
                    pipe.take(chunk)
                    // The content's type shows in its first bytes: refused then, not after the last one.
                    // (A partial upload is a piece of a file, not one: its concatenation is checked.)
                    if !typeChecked, upload.offset == 0, upload.becomesFile, let head = pipe.content?.head, head.count >= ContentSniffer.headLength {
                        typeChecked = true
                        do throws(AttacheError) {
                            _ = try policy.resolveType(fileName: upload.fileName, format: ContentSniffer.format(ofHead: head))
                        } catch {
                            refusal = error
                            throw error
                        }
                    }
                    guard try await pipe.writeFullBatch().written, ContinuousClock.now - lastRenewal > renewal else { return }
                    lastRenewal = .now
                    _ = try await metadata.lockResumableUpload(
                        tenantID: principal.tenant.id, id: upload.id, at: offset, holder: holder, now: Date(),
                        until: Date().addingTimeInterval(lockLifetime)
                    )
                }
                try await pipe.flush()
            }
        } catch {
            // The network failed mid-chunk: keep what arrived, so the client resumes after it. (A state
            // whose bytes did not all reach the store never matches the offset, so it is never used.)
            var flushed = true
            do {
                try await pipe.flush()
            } catch {
                flushed = false  // then nothing is kept
            }
            if refusal == nil, checksum == nil, pipe.taken > 0, flushed,
                let kept = try? await commit(  // allowed: the client's error is the one to report
                    writer, continuing: continuing, principal: principal, upload: upload, offset: offset, length: length, holder: holder
                )
            {
                if let content = pipe.content { await resumableDigests.store(content, for: upload.id) }
                logger.info("resumable chunk cut short; kept what arrived", metadata: ["upload": "\(upload.id)", "offset": "\(kept.offset)"])
            } else {
                await writer.abort()
            }
            throw error
        }
        if let checksum, let hasher, hasher.finalize() != checksum.digest {
            await writer.abort()
            throw AttacheError(.checksumMismatch, "The chunk's \(checksum.algorithm.rawValue) is not the one sent; it was discarded.")
        }
        let appended = try await commit(
            writer, continuing: continuing, principal: principal, upload: upload, offset: offset, length: length, holder: holder
        )
        if let content = pipe.content { await resumableDigests.store(content, for: upload.id) }
        return appended
    }

    /// Makes the chunk durable, then moves the offset past it (if this request still holds the upload).
    /// A chunk appended to earlier content is the part from its offset on; its bytes past the committed
    /// size, if the commit fails, are dropped by the next continuation.
    private func commit(
        _ writer: any BlobWriter, continuing: StagedBlob?, principal: Principal, upload: ResumableUpload, offset: Int64, length: Int64?,
        holder: String
    ) async throws -> ResumableUpload {
        let finished: StagedBlob
        do {
            finished = try await writer.finish()
        } catch {
            await writer.abort()
            throw error
        }
        let appendedToEarlier = finished.stagingKey == continuing?.stagingKey
        let chunk = StagedBlob(stagingKey: finished.stagingKey, size: finished.size - (appendedToEarlier ? continuing?.size ?? 0 : 0))
        let appended = try await metadata.appendResumablePart(
            tenantID: principal.tenant.id, id: upload.id, part: ResumablePart(offset: offset, staged: chunk), holder: holder, length: length,
            expiresAt: Date().addingTimeInterval(resumableLifetime)
        )
        if appended == nil || chunk.size == 0, !appendedToEarlier {
            await blobs.discard(finished)
        }
        guard let appended else {
            throw AttacheError(.offsetMismatch, "The upload moved on while this chunk arrived; ask for its offset again.")
        }
        return appended
    }

    /// The staged content behind `parts`, in order: consecutive parts in one staging key (chunks
    /// appended to one file) are one piece of their summed size.
    static func stagedContent(of parts: [ResumablePart]) -> [StagedBlob] {
        var pieces: [StagedBlob] = []
        for part in parts {
            if let last = pieces.last, last.stagingKey == part.staged.stagingKey {
                pieces[pieces.count - 1].size += part.staged.size
            } else {
                pieces.append(part.staged)
            }
        }
        return pieces
    }

    /// The size of a concatenation: every part must be a finished partial upload of the tenant's.
    private func concatenatedLength(_ principal: Principal, of partIDs: [UUID]) async throws -> Int64 {
        guard !partIDs.isEmpty else { throw AttacheError(.invalidInput, "A final upload needs at least one partial upload.") }
        var total: Int64 = 0
        for id in partIDs {
            guard let part = try await metadata.resumableUpload(tenantID: principal.tenant.id, id: id), part.concatenation == .partial else {
                throw AttacheError(.invalidInput, "\(id.lowercasedText) is not a partial upload of this tenant.")
            }
            guard part.isFullyReceived, let length = part.length else {
                throw AttacheError(.invalidInput, "The partial upload \(id.lowercasedText) is not finished.")
            }
            total += length
        }
        return total
    }

    /// Reads the parts back, in order, through an ``UploadSession`` (type, size, quota, scan, SHA-256 —
    /// the rules of every upload) and stores the file, settling the upload in the same transaction.
    /// Content refused for what it is fails the upload for good; a store that cannot be reached leaves
    /// it to be completed on the next request.
    private func completeResumableUpload(_ principal: Principal, _ upload: ResumableUpload) async throws -> ResumableUpload {
        // The pieces of content, in order. A concatenation takes each partial upload's pieces on their
        // own, as often as it names it: the same staging key twice in a row is two copies, never one.
        let parts: [ResumablePart]
        let pieces: [StagedBlob]
        if case .final(let partIDs) = upload.concatenation {
            var joinedParts: [ResumablePart] = []
            var joinedPieces: [StagedBlob] = []
            for id in partIDs {
                let partial = try await metadata.resumableParts(id: id)
                joinedParts += partial
                joinedPieces += Self.stagedContent(of: partial)
            }
            parts = joinedParts
            pieces = joinedPieces
        } else {
            parts = try await metadata.resumableParts(id: upload.id)
            pieces = Self.stagedContent(of: parts)
        }
        var record: Record?
        if let recordUUID = upload.recordUUID {
            record = try await self.record(principal, uuid: recordUUID)
        }
        var policy = self.policy
        policy.maximumFileSize = resumableLimits.maximumSize
        policy.largerFilesHint = nil
        // Content in one staged piece (the disk appends chunks; one chunk anywhere) is read once to be
        // checked and hashed, then stored as it is; several pieces are joined into new staged content.
        let adopted = pieces.count == 1 && upload.concatenation == nil ? pieces.first : nil
        let batch = makeUploadBatch()
        do {
            var session = try await beginUpload(principal, fileName: upload.fileName, expectedDigest: nil, policy: policy, adopting: adopted)
            do {
                // When this node hashed every chunk as it arrived, the content is not read again.
                var hashed = false
                if let adopted, let content = await resumableDigests.state(of: upload.id, at: adopted.size) {
                    hashed = try session.adopt(content)
                }
                for piece in pieces where !hashed {
                    let reader = try await blobs.openStaged(piece)
                    try await reader.stream { chunk in try await session.write(chunk) }
                }
                // Content read back short (its staging object went away under a concurrent completion,
                // or the store answered short) is the store's failure, to retry; judging its type or size
                // would refuse — and fail for good — an upload whose content is whole.
                let expected = upload.length ?? upload.offset
                if !hashed, session.byteCount != expected {
                    throw AttacheError(
                        .storageUnavailable, "The upload's staged content read back as \(session.byteCount) of \(expected) bytes; ask again."
                    )
                }
                let finished = try await session.finish()
                // The one place uploads complete: what is stored is exactly the upload's length, or nothing.
                guard finished.file.size == upload.length ?? upload.offset else {
                    throw AttacheError(
                        .internal, "The upload's content is \(finished.file.size) bytes, not its length of \(upload.length ?? upload.offset); nothing was stored."
                    )
                }
                await batch.append(.init(fieldName: "", upload: finished))
            } catch {
                await session.abort()
                throw error
            }
            let link = record.map {
                var link = AttachmentLink(recordID: $0.id, description: upload.description, dropShare: upload.dropShare, newVersions: [upload.newVersionOf])
                link.category = upload.category
                link.tags = upload.tags
                return link
            }
            let stored = try await storeFiles(principal, batch, linkTo: link, completing: upload.id)
            // A final upload's parts are its partial uploads', which keep them until they expire.
            if upload.concatenation == nil { await blobs.discard(all: parts.map(\.staged)) }
            await resumableDigests.remove(upload.id)
            var completed = upload
            completed.offset = upload.length ?? upload.offset
            completed.state = .complete
            completed.fileID = stored.first?.0.id
            completed.attachmentUUID = stored.first?.1?.uuid
            return completed
        } catch let error as AttacheError where error.code == .uploadGone {
            // Another request completed it meanwhile (or it was terminated): say what it is now.
            await batch.discard()
            guard let current = try await metadata.resumableUpload(tenantID: principal.tenant.id, id: upload.id) else { throw error }
            return current
        } catch let error as AttacheError where Self.uploadRefusals.contains(error.code) || error.code == .linkExhausted || error.code == .preconditionFailed {
            // (A drop link that took its last file meanwhile refuses this one for good, too; so does an
            // attachment that got another version while this one was on its way.)
            await batch.discard()
            // Another request may have completed it meanwhile: a refusal is for an upload still receiving.
            if let current = try await metadata.resumableUpload(tenantID: principal.tenant.id, id: upload.id), current.state != .receiving {
                return current
            }
            try await refuse(upload, for: error, principal: principal, record: record)
        } catch {
            await batch.discard()
            throw error
        }
    }

    /// Fails the upload for good because its content was refused (type, size, quota, malware): the
    /// refusal is audited and what it staged is dropped. - Throws: `error`, always.
    private func refuse(_ upload: ResumableUpload, for error: AttacheError, principal: Principal, record: Record?) async throws -> Never {
        await recordRefusedUpload(principal, error: error, record: record, size: upload.length)
        await resumableDigests.remove(upload.id)
        let dropped = try await metadata.failResumableUpload(tenantID: principal.tenant.id, id: upload.id, reason: error.message)
        await blobs.discard(all: dropped.map(\.staged))
        throw error
    }
}

extension AttacheService {
    /// A resumable upload's category and tags, checked when it is created (the category exists, the
    /// tags normalized) so that nothing is refused for them once every byte has arrived. They label a
    /// new attachment: an upload that becomes none (no record, a partial upload) or a new version
    /// (which keeps its attachment's) cannot take them.
    fileprivate func checkLabels(of new: inout NewResumableUpload, _ principal: Principal) async throws {
        guard new.category != nil || !new.tags.isEmpty else { return }
        guard new.recordUUID != nil, new.concatenation != .partial, new.newVersionOf == nil else {
            throw AttacheError(
                .invalidInput,
                "A category and tags label the attachment an upload makes: send them with a record, not with a partial upload or a new version."
            )
        }
        new.tags = try Self.checkedLabels(category: new.category, tags: new.tags)
        if let category = new.category, try await metadata.category(tenantID: principal.tenant.id, name: category) == nil {
            throw Category.undefined(category)
        }
    }
}
