import AttacheCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem document, the error body of the native API.
struct ProblemDetails: Encodable, Sendable {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var traceId: String
    var code: String
    var errors: [String: [String]]?

    static let mediaType = "application/problem+json"

    init(_ error: AttacheError, traceId: String) {
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
    func response(headers extra: HTTPFields = [:]) throws -> Response {
        try JSONResponse.make(self, status: HTTPResponse.Status(code: status), contentType: Self.mediaType, headers: extra)
    }
}
