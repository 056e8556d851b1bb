public import AttacheCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Turns anything a route throws into an ``AttacheError``, logging what clients must not see.
public enum ErrorTranslation {
    /// The detail of the 404 for a path no route matches.
    public static let noRouteMessage = "There is no such route."

    public static func attacheError(from error: any Error, logger: Logger) -> AttacheError {
        switch error {
        case let error as AttacheError:
            if error.code == .internal || error.code == .storageUnavailable {
                logger.error("request failed", metadata: ["error": "\(error)"])
            }
            return error
        case let error as HTTPError where error.status == .notFound && error.body == nil:
            return AttacheError(.notFound, noRouteMessage)
        case let error as HTTPError:
            return AttacheError(code(for: error.status), error.body ?? error.status.reasonPhrase)
        case is NIOTooManyBytesError:
            return AttacheError(.contentTooLarge, "The request body is too large.")
        case let error as HTTPParserError:
            // Most often a client that went away mid-body: normal on the internet, not a server fault.
            logger.debug("request body ended early", metadata: ["error": "\(error)"])
            return AttacheError(.malformedUpload, "The request body ended early or is not valid HTTP.")
        case is CancellationError:
            logger.debug("request cancelled (the client went away)")
            return AttacheError(.malformedUpload, "The request was cancelled.")
        // A DecodingError here is not the client's: request bodies are read by RequestBodyDecoder, which
        // explains its own; one that gets this far came from reading stored rows, as any failure does.
        default:
            logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return AttacheError(.internal, "The server failed to process the request.")
        }
    }

    private static func code(for status: HTTPResponse.Status) -> AttacheError.Code {
        switch status {
        case .notFound: .notFound
        case .unauthorized: .unauthenticated
        case .forbidden: .forbidden
        case .contentTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .conflict: .conflict
        case .methodNotAllowed: .methodNotAllowed
        case .badRequest, .unprocessableContent: .invalidInput
        default: .internal
        }
    }
}
