import AttacheCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem document, the error body of the native API.
package struct ProblemDetails: Encodable, Sendable {
    package var type: String
    package var title: String
    package var status: Int
    package var detail: String
    package var traceId: String
    package var code: String
    package var errors: [String: [String]]?

    package static let mediaType = "application/problem+json"

    package init(_ error: AttacheError, traceId: String) {
        let status = error.code.httpStatus
        self.type = "/problems/" + error.code.name
        self.title = status.reasonPhrase
        self.status = status.code
        self.detail = error.message
        self.traceId = traceId
        self.code = error.code.name
        self.errors = error.fieldErrors.isEmpty ? nil : error.fieldErrors
    }

    /// The response carrying this problem.
    package func response(headers extra: HTTPFields = [:]) throws -> Response {
        try JSONResponse.make(self, status: HTTPResponse.Status(code: status), contentType: Self.mediaType, headers: extra)
    }
}
