import Crypto
import Logging
public import NIOCore
import Tracing

/// Receives the bytes of one uploaded file, in order, as they arrive from the network.
///
/// It hashes and stages them through a ``StagingPipe`` (the write path every upload shares) while
/// enforcing the ``UploadPolicy``: the size limit is checked on every chunk, the type is decided from the
/// first bytes (so a disguised or disallowed file is refused before the rest is read) and text types are
/// validated to the end. Memory use is bounded by ``coalescingCapacity`` plus the sniffing head,
/// whatever the file size.
///
/// When uploads are scanned (``UploadScanning``), every batch also goes to the file's ``ContentScan`` and
/// ``finish()`` returns only with a clean verdict, before anything can become visible.
///
/// Call ``finish()`` once the last byte has arrived, or ``abort()`` on any failure.
public struct UploadSession {
    /// Small network chunks are gathered up to this size before they are handed to the blob writer.
    public static let coalescingCapacity = StagingPipe.coalescingCapacity

    public let fileName: String
    private let policy: UploadPolicy
    private let expectedDigest: ContentDigest?
    private var pipe: StagingPipe
    private var type: FileType?
    private var textValidator = TextValidator()
    private var scan: (any ContentScan)?
    private let scanFailure: UploadScanning.FailurePolicy
    /// What the tenant stored when the upload began, beside its quota; `nil` without a byte quota.
    private let quotaUsage: TenantUsage?
    private let logger: Logger

    init(
        fileName: String, policy: UploadPolicy, writer: any BlobWriter, expectedDigest: ContentDigest?,
        scan: (any ContentScan)? = nil, scanFailure: UploadScanning.FailurePolicy = .closed,
        quotaUsage: TenantUsage? = nil, logger: Logger = Logger(label: "attache.upload")
    ) {
        self.fileName = fileName
        self.policy = policy
        self.pipe = StagingPipe(writer: writer)
        self.expectedDigest = expectedDigest
        self.scan = scan
        self.scanFailure = scanFailure
        self.quotaUsage = quotaUsage
        self.logger = logger
    }

    /// What the file's bytes told so far (a session's pipe always starts at the file's first byte).
    private var content: ContentDigestState { pipe.content ?? ContentDigestState() }

    /// The number of bytes received so far.
    public var byteCount: Int64 { content.byteCount }

    /// Accepts the next bytes of the file.
    /// - Throws: ``AttacheError`` with `contentTooLarge` or `unsupportedMediaType`; the caller must then ``abort()``.
    public mutating func write(_ chunk: ByteBuffer) async throws {
        try checkSize(content.byteCount + Int64(chunk.readableBytes))
        pipe.take(chunk)
        try inspect(chunk)
        if let failure = try await pipe.writeFullBatch(passingTo: scanBatch).observerFailure {
            try await scanFailed(failure)
        }
    }

    /// Takes the whole content as already hashed (`state`, built as a resumable upload's chunks
    /// arrived) when its bytes need not pass again: size, quota and type are checked from it, and
    /// ``finish()`` follows without a write. Text (validated to its end) and scanned uploads need every
    /// byte: then nothing changes, and the caller writes the content.
    /// - Returns: whether the state was taken.
    /// - Throws: what ``write(_:)`` would have thrown for the same content.
    public mutating func adopt(_ state: ContentDigestState) throws(AttacheError) -> Bool {
        guard scan == nil, content.byteCount == 0 else { return false }
        try checkSize(state.byteCount)
        let decided = try policy.resolveType(fileName: fileName, format: ContentSniffer.format(ofHead: state.head))
        guard !decided.isText else { return false }
        pipe.adopt(state)
        type = decided
        return true
    }

    private func checkSize(_ total: Int64) throws(AttacheError) {
        guard total <= policy.maximumFileSize else {
            throw policy.tooLarge("'\(fileName)'")
        }
        if let quotaUsage, let refusal = QuotaRefusal.passed(by: quotaUsage, bytes: total, files: 0) {
            throw AttacheError.quotaExceeded(refusal, fileName: fileName)
        }
    }

    /// Completes the upload: decides the type if not yet decided, checks the digest, and stages the content.
    /// - Throws: ``AttacheError`` (`unsupportedMediaType`, `digestMismatch`); the caller must then ``abort()``.
    public mutating func finish() async throws -> CompletedUpload {
        let type = try self.type ?? decideType()
        if type.isText && !textValidator.isValid {
            throw AttacheError(.unsupportedMediaType, "'\(fileName)' is not a valid text file.")
        }
        let digest = content.digest()
        if let expectedDigest, expectedDigest.bytes != digest {
            throw AttacheError(
                .digestMismatch,
                "The content's SHA-256 is \(digest.hexString), not the \(expectedDigest.hex) the client sent."
            )
        }
        if let failure = try await pipe.flush(passingTo: scanBatch) {
            try await scanFailed(failure)
        }
        if case .infected(let signature) = try await scanVerdict() {
            logger.warning("upload refused: infected", metadata: ["file": "\(fileName)", "signature": "\(signature)", "size": "\(content.byteCount)"])
            throw AttacheError(.contentInfected, "'\(fileName)' contains malware (\(signature)); it was not stored.")
        }
        let staged = try await pipe.writer.finish()
        let file = NewFile(
            name: type.fileName(for: fileName),
            size: content.byteCount,
            mimeType: type.mimeType,
            kind: FileKind(mimeType: type.mimeType),
            sha256: digest.hexString,
            scanned: scan != nil,
            crc32: content.crc32
        )
        return CompletedUpload(file: file, staged: staged)
    }

    /// Drops whatever was staged, and the scan.
    public func abort() async {
        await scan?.cancel()
        await pipe.writer.abort()
    }

    private mutating func inspect(_ chunk: ByteBuffer) throws(AttacheError) {
        if type == nil, content.head.count >= ContentSniffer.headLength {
            type = try decideType()
        }
        if type?.isText ?? true {
            chunk.withUnsafeReadableBytes { textValidator.consume($0) }
        }
    }

    private func decideType() throws(AttacheError) -> FileType {
        try policy.resolveType(fileName: fileName, format: ContentSniffer.format(ofHead: content.head))
    }

    /// Hands a written batch to the scan, if any; a failure goes to ``scanFailed(_:)``.
    private var scanBatch: (ByteBuffer) async -> (any Error)? {
        { [scan] batch in
            do {
                try await scan?.write(batch)
                return nil
            } catch {
                return error
            }
        }
    }

    /// The scanner's verdict (span `upload.scan`); `clean` when nothing scans this upload.
    private mutating func scanVerdict() async throws -> ScanVerdict {
        guard let scan else { return .clean }
        do {
            return try await withSpan("upload.scan") { span in
                let verdict = try await scan.verdict()
                span.attributes["attache.scan.clean"] = verdict == .clean
                return verdict
            }
        } catch {
            try await scanFailed(error)
            return .clean
        }
    }

    /// Refuses the upload when scanning fails closed; otherwise goes on unscanned, with a warning.
    private mutating func scanFailed(_ error: any Error) async throws {
        await scan?.cancel()
        scan = nil
        try scanFailure.apply(to: error, fileName: fileName, logger: logger)
    }
}
