public import AttacheCore
public import HTTPTypes

extension AttacheError.Code {
    /// The HTTP status of each error code: the one place where core errors meet HTTP.
    ///
    /// Faces whose vendor documents another status for a case (HighLevel's 422, Bloxs' 404) map
    /// from this in their own error renderer.
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .invalidInput, .malformedUpload, .missingFile, .digestMismatch: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden, .passwordRequired: .forbidden
        case .notFound, .noPreview, .previewUnavailable: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .conflict: .conflict
        case .requestTimeout: .requestTimeout
        case .expectationFailed: .expectationFailed
        case .contentTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .contentInfected: .unprocessableContent
        case .tooManyRequests: .tooManyRequests
        case .contentQuarantined, .uploadLocked: HTTPResponse.Status(code: 423, reasonPhrase: "Locked")
        case .offsetMismatch: .conflict
        case .checksumMismatch: HTTPResponse.Status(code: 460, reasonPhrase: "Checksum Mismatch")
        case .uploadGone, .linkExhausted, .cursorExpired: .gone
        case .unsupportedProtocolVersion, .preconditionFailed: .preconditionFailed
        case .preconditionRequired: HTTPResponse.Status(code: 428, reasonPhrase: "Precondition Required")
        // Not 507: a 5xx is retried by clients, and no retry fits a full quota (Google Drive answers 403 too).
        case .quotaExceeded: .forbidden
        case .storageUnavailable, .scanUnavailable: .serviceUnavailable
        default: .internalServerError
        }
    }
}
