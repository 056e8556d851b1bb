import Foundation
import Logging
import Tracing

extension AttacheService {
    /// How often storing is attempted while `gc` removes the same content (each wait is longer).
    static let storeAttempts = 6

    /// Receives an upload's bytes: counted as an upload in flight (`attache_uploads_in_flight`) and timed
    /// as the span `upload.receive`. Every path that receives an upload's bytes — a request's body, a
    /// resumable upload's chunk — runs here, so what is measured is the same for each.
    public func receivingUpload<Result>(_ body: (any Span) async throws -> Result) async throws -> Result {
        metrics.uploadStarted()
        defer { metrics.uploadEnded() }
        return try await withSpan("upload.receive") { span in try await body(span) }
    }

    /// An empty batch for the files of one upload request.
    public func makeUploadBatch() -> UploadBatch {
        UploadBatch(blobs: blobs)
    }

    /// Starts receiving one file. Feed it with ``UploadSession/write(_:)``, then ``UploadSession/finish()``.
    ///
    /// - Parameters:
    ///   - fileName: the name the client gave; it is sanitised here.
    ///   - expectedDigest: the SHA-256 the client says the content has, if it sent one.
    ///   - policy: a narrower policy for this upload (see ``UploadPolicy/narrowed(maximumFileSize:allowedTypeNames:)``).
    ///   - staged: content already staged whole (a resumable upload's): the session checks what it is
    ///     given and stores that content, writing nothing again.
    public func beginUpload(
        _ principal: Principal,
        fileName: String,
        expectedDigest: ContentDigest?,
        policy narrowed: UploadPolicy? = nil,
        adopting staged: StagedBlob? = nil
    ) async throws -> UploadSession {
        try principal.require(.write)
        let name = FileNameSanitizer.sanitize(fileName)
        let room = try await byteQuotaUsage(principal)
        let scan = try await startScan(of: name)
        let writer: any BlobWriter
        do {
            if let staged {
                writer = StagedContentWriter(staged: staged, blobs: blobs)
            } else {
                writer = try await blobs.makeWriter()
            }
        } catch {
            await scan?.cancel()
            throw error
        }
        return UploadSession(
            fileName: name,
            policy: narrowed ?? policy,
            writer: writer,
            expectedDigest: expectedDigest,
            scan: scan,
            scanFailure: scanning?.onFailure ?? .closed,
            quotaUsage: room,
            logger: logger
        )
    }

    /// A scan for one upload; `nil` when scanning is off, or fails open and the scanner is unreachable.
    /// - Throws: `scanUnavailable` when it fails closed.
    private func startScan(of fileName: String) async throws -> (any ContentScan)? {
        guard let scanning else { return nil }
        do {
            return try await scanning.scanner.startScan()
        } catch {
            try scanning.onFailure.apply(to: error, fileName: fileName, logger: logger)
            return nil
        }
    }

    /// Stores a batch's files, all or nothing, optionally linking each to a record; settles the batch.
    ///
    /// Content is claimed, promoted outside any metadata transaction, and then referenced in one
    /// transaction that checks the claims still hold (see ``BlobClaim``); the staged copies are dropped
    /// whatever the outcome. A crash at any point leaves either every file stored or none visible.
    public func storeFiles(
        _ principal: Principal,
        _ batch: UploadBatch,
        linkTo link: AttachmentLink? = nil,
        completing resumableUploadID: UUID? = nil
    ) async throws -> [(StoredFile, Attachment?)] {
        let uploads: [CompletedUpload]
        let labeled: AttachmentLink?
        do {
            try principal.require(.write)
            labeled = try link.map(Self.checkedLabels)
            uploads = try await batch.take().map(\.upload)
        } catch {
            await batch.discard()
            throw error
        }
        do {
            let stored = try await store(
                uploads, tenantID: principal.tenant.id, link: labeled, completing: resumableUploadID, audit: principal.auditContext()
            )
            await blobs.discard(all: uploads.map(\.staged))
            metrics.stored(files: stored.count, bytes: stored.reduce(0) { $0 + $1.0.size })
            return stored
        } catch {
            await blobs.discard(all: uploads.map(\.staged))
            throw error
        }
    }

    private func store(
        _ uploads: [CompletedUpload], tenantID: Int64, link: AttachmentLink?, completing resumableUploadID: UUID?, audit: AuditContext
    ) async throws -> [(StoredFile, Attachment?)] {
        var sizes: [BlobAddress: Int64] = [:]
        var staged: [BlobAddress: StagedBlob] = [:]
        for upload in uploads {
            let address = BlobAddress(tenantID: tenantID, sha256: upload.file.sha256)
            sizes[address] = upload.file.size
            staged[address] = staged[address] ?? upload.staged
        }
        var attempt = 1
        while true {
            do {
                let claims = try await withSpan("upload.store") { span in
                    span.attributes["attache.attempt"] = attempt
                    let claims = try await metadata.claimBlobs(sizes)
                    for claim in claims.values where claim.needsContent {
                        guard let copy = staged[claim.address] else {
                            throw AttacheError(.internal, "A claimed blob has no staged content.", underlying: claim.address.description)
                        }
                        try await blobs.promote(copy, to: claim.address)
                    }
                    return claims
                }
                return try await withSpan("upload.commit") { _ in
                    try await metadata.insertFiles(
                        uploads.map(\.file), tenantID: tenantID, link: link, claims: claims, completing: resumableUploadID, audit: audit
                    )
                }
            } catch let error as BlobLifecycleError {
                guard attempt < Self.storeAttempts else {
                    throw AttacheError(
                        .storageUnavailable, "Storage is busy removing the same content; try again.", underlying: String(describing: error)
                    )
                }
                logger.debug("upload waits for the blob lifecycle", metadata: ["reason": "\(error)", "attempt": "\(attempt)"])
                try await Task.sleep(for: .milliseconds(20 * attempt * attempt))
                attempt += 1
            }
        }
    }
}
