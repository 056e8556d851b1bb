extension AttacheError {
    /// A stable, extensible error code. New codes can be added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable, CaseIterable {
            case invalidInput = "invalid_input"
            case malformedUpload = "malformed_upload"
            case missingFile = "missing_file"
            case digestMismatch = "digest_mismatch"
            case unauthenticated
            case forbidden
            case notFound = "not_found"
            case methodNotAllowed = "method_not_allowed"
            case conflict
            case requestTimeout = "request_timeout"
            case expectationFailed = "expectation_failed"
            case contentTooLarge = "content_too_large"
            case unsupportedMediaType = "unsupported_media_type"
            case storageUnavailable = "storage_unavailable"
            case contentInfected = "content_infected"
            case scanUnavailable = "scan_unavailable"
            case quotaExceeded = "quota_exceeded"
            case tooManyRequests = "too_many_requests"
            case contentQuarantined = "content_quarantined"
            case offsetMismatch = "offset_mismatch"
            case uploadLocked = "upload_locked"
            case checksumMismatch = "checksum_mismatch"
            case uploadGone = "upload_gone"
            case linkExhausted = "link_exhausted"
            case passwordRequired = "password_required"
            case unsupportedProtocolVersion = "unsupported_protocol_version"
            case noPreview = "no_preview"
            case previewUnavailable = "preview_unavailable"
            case cursorExpired = "cursor_expired"
            case preconditionFailed = "precondition_failed"
            case preconditionRequired = "precondition_required"
            case `internal`
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// A request field is missing or malformed.
        public static var invalidInput: Code { Code(.invalidInput) }
        /// A multipart or raw upload body is truncated or malformed.
        public static var malformedUpload: Code { Code(.malformedUpload) }
        /// An upload request carried no file.
        public static var missingFile: Code { Code(.missingFile) }
        /// The content does not hash to the digest the client sent.
        public static var digestMismatch: Code { Code(.digestMismatch) }
        /// No valid credentials.
        public static var unauthenticated: Code { Code(.unauthenticated) }
        /// Valid credentials that do not permit the operation.
        public static var forbidden: Code { Code(.forbidden) }
        /// The object does not exist for this tenant.
        public static var notFound: Code { Code(.notFound) }
        /// The path exists, but not for this method.
        public static var methodNotAllowed: Code { Code(.methodNotAllowed) }
        /// The request clashes with existing state (for example a duplicate external identifier).
        public static var conflict: Code { Code(.conflict) }
        /// The client sent its request too slowly.
        public static var requestTimeout: Code { Code(.requestTimeout) }
        /// The request's `Expect` header asks for something the server does not do.
        public static var expectationFailed: Code { Code(.expectationFailed) }
        /// A file is larger than the configured limit.
        public static var contentTooLarge: Code { Code(.contentTooLarge) }
        /// The file type is not allowed, or the content does not match its name.
        public static var unsupportedMediaType: Code { Code(.unsupportedMediaType) }
        /// Metadata or blob storage cannot be reached.
        public static var storageUnavailable: Code { Code(.storageUnavailable) }
        /// The virus scanner found a signature in an upload; nothing was stored.
        public static var contentInfected: Code { Code(.contentInfected) }
        /// The upload would take the tenant past its quota of bytes or files; nothing was stored.
        public static var quotaExceeded: Code { Code(.quotaExceeded) }
        /// The caller sent more requests (or failed sign-ins) than allowed; see ``AttacheError/rateLimit``.
        public static var tooManyRequests: Code { Code(.tooManyRequests) }
        /// Malware was found in stored content; it is listed and can be deleted, never served.
        public static var contentQuarantined: Code { Code(.contentQuarantined) }
        /// Uploads must be scanned, and the scanner cannot be reached or did not answer.
        public static var scanUnavailable: Code { Code(.scanUnavailable) }
        /// A resumable upload's chunk starts elsewhere than the bytes received so far.
        public static var offsetMismatch: Code { Code(.offsetMismatch) }
        /// Another request is appending to the same resumable upload.
        public static var uploadLocked: Code { Code(.uploadLocked) }
        /// A chunk's bytes do not have the checksum the client sent; the chunk was discarded.
        public static var checksumMismatch: Code { Code(.checksumMismatch) }
        /// The resumable upload was terminated, expired or failed; it cannot be continued.
        public static var uploadGone: Code { Code(.uploadGone) }
        /// A share link served all the downloads it was made for.
        public static var linkExhausted: Code { Code(.linkExhausted) }
        /// A share link has a password, and the request did not give it (or gave a wrong one).
        public static var passwordRequired: Code { Code(.passwordRequired) }
        /// The client speaks a version of an upload protocol this server does not.
        public static var unsupportedProtocolVersion: Code { Code(.unsupportedProtocolVersion) }
        /// The content is of a type no preview image is made of.
        public static var noPreview: Code { Code(.noPreview) }
        /// No preview image could be made of the content (it is malformed, or too large to decode).
        public static var previewUnavailable: Code { Code(.previewUnavailable) }
        /// The change feed no longer holds events the caller's cursor stands before: they were deleted
        /// with the audit trail's retention. Read again from the feed's oldest event.
        public static var cursorExpired: Code { Code(.cursorExpired) }
        /// The request's `If-Match` names a state the object is no longer in (another change came first).
        public static var preconditionFailed: Code { Code(.preconditionFailed) }
        /// The change needs `If-Match` with the object's current ETag, so no change is lost to another.
        public static var preconditionRequired: Code { Code(.preconditionRequired) }
        /// A bug or an unexpected failure.
        public static var `internal`: Code { Code(.internal) }

        /// Every code there is (the OpenAPI document lists their names; OpenAPITests compares).
        public static var all: [Code] { Base.allCases.map(Code.init) }

        /// The stable machine-readable name of the code, e.g. `content_too_large`.
        public var name: String { base.rawValue }
        public var description: String { base.rawValue }
    }
}
