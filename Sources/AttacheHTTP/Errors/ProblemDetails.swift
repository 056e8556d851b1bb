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
    /// For `quota_exceeded`: the limit passed (`bytes` or `files`), its maximum, what is used and left.
    package var quota: Quota?

    package struct Quota: Encodable, Sendable {
        var limit: String
        var maximum: Int64
        var used: Int64
        var remaining: Int64
    }

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
        self.quota = error.quota.map { Quota(limit: $0.limit.rawValue, maximum: $0.maximum, used: $0.used, remaining: $0.remaining) }
    }

    /// The response carrying this problem.
    package func response(headers extra: HTTPFields = [:]) throws -> Response {
        try JSONResponse.make(self, status: HTTPResponse.Status(code: status), contentType: Self.mediaType, headers: extra)
    }
}
