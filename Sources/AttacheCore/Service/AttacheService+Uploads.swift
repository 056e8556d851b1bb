extension AttacheService {
    /// Starts receiving one file. Feed it with ``UploadSession/write(_:)``, then ``UploadSession/finish()``.
    ///
    /// - Parameters:
    ///   - fileName: the name the client gave; it is sanitised here.
    ///   - expectedDigest: the SHA-256 the client says the content has, if it sent one.
    ///   - policy: a narrower policy for this upload (see ``UploadPolicy/narrowed(maximumFileSize:allowedTypeNames:)``).
    public func beginUpload(
        _ principal: Principal,
        fileName: String,
        expectedDigest: ContentDigest?,
        policy narrowed: UploadPolicy? = nil
    ) async throws -> UploadSession {
        try principal.require(.write)
        let writer = try await blobs.makeWriter()
        return UploadSession(
            fileName: FileNameSanitizer.sanitize(fileName),
            policy: narrowed ?? policy,
            writer: writer,
            expectedDigest: expectedDigest
        )
    }

    /// Stores completed uploads as files, all or nothing, optionally linking each to a record.
    ///
    /// Staged content that is not needed (because the blob exists already, or the store failed) is discarded.
    public func storeFiles(
        _ principal: Principal,
        _ uploads: [CompletedUpload],
        linkTo link: AttachmentLink? = nil
    ) async throws -> [(StoredFile, Attachment?)] {
        try principal.require(.write)
        let stagedBySHA = Dictionary(uploads.map { ($0.file.sha256, $0.staged) }, uniquingKeysWith: { first, _ in first })
        let promoted = PromotionLog()
        do {
            let stored = try await metadata.insertFiles(
                uploads.map(\.file),
                tenantID: principal.tenant.id,
                link: link,
                promote: { [blobs] address in
                    guard let staged = stagedBySHA[address.sha256] else { return }
                    try await blobs.promote(staged, to: address)
                    await promoted.add(staged)
                }
            )
            await discard(uploads.map(\.staged), except: promoted.all)
            return stored
        } catch {
            await discard(uploads.map(\.staged), except: [])
            throw error
        }
    }

    /// Drops completed uploads that will not be stored (their request failed for another reason).
    public func discard(_ uploads: [CompletedUpload]) async {
        await discard(uploads.map(\.staged), except: [])
    }

    /// Drops staged copies that were not promoted.
    private func discard(_ staged: [StagedBlob], except promoted: Set<StagedBlob>) async {
        for blob in staged where !promoted.contains(blob) {
            await blobs.discard(blob)
        }
    }
}

/// Collects which staged blobs were promoted inside a metadata transaction.
private actor PromotionLog {
    private(set) var all: Set<StagedBlob> = []

    func add(_ staged: StagedBlob) {
        all.insert(staged)
    }
}
