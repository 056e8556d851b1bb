import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

extension NativeController {
    /// `POST /v1/attachments/{uuid}/versions`: one file (multipart `file`, or a raw body) as the
    /// attachment's new version. `If-Match` with the attachment's current ETag is required (428
    /// without, 412 when another change came first), and checked before the body is read.
    @Sendable func addVersion(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let uuid = try uuidParameter(context, what: "attachment")
        // What the request's head says is wrong comes before its precondition (RFC 9110 §13.2.1).
        try intake.checkExpectation(of: request)
        let (attached, precondition) = try await service.versionPrecondition(principal, of: uuid, ifMatch: request.headers[.ifMatch])
        let updated = try await intake.receive(request, context: context, for: attached.record, form: Self.uploadForm) { received in
            try await service.storeVersion(principal, received.batch, of: attached, precondition: precondition)
        }
        var response = try created(await nativeAttachment(updated, principal: principal, request: request), request: request, context: context)
        response.headers[.eTag] = Self.etag(of: updated)
        return response
    }

    /// `GET /v1/attachments/{uuid}/versions`, newest (the current one) first.
    @Sendable func listVersions(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeVersionList {
        let principal = context.principal
        let uuid = try uuidParameter(context, what: "attachment")
        let versions = try await service.versions(principal, of: uuid)
        return NativeVersionList(items: versions.map { NativeVersion($0, of: uuid, links: links, tenant: principal.tenant, request: request) })
    }

    /// `POST /v1/attachments/{uuid}/versions/{number}/restore`: that version's content becomes the
    /// newest version (no bytes copied); `If-Match`, when sent, must be the current ETag.
    @Sendable func restoreVersion(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let uuid = try uuidParameter(context, what: "attachment")
        let restored = try await service.restoreVersion(principal, of: uuid, number: try versionParameter(context, of: uuid), ifMatch: request.headers[.ifMatch])
        var response = try await nativeAttachment(restored, principal: principal, request: request).response(from: request, context: context)
        response.headers[.eTag] = Self.etag(of: restored)
        return response
    }

    /// `DELETE /v1/attachments/{uuid}/versions/{number}`: not the current version (409).
    @Sendable func deleteVersion(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let uuid = try uuidParameter(context, what: "attachment")
        try await service.deleteVersion(principal, of: uuid, number: try versionParameter(context, of: uuid))
        return Response(status: .noContent)
    }

    /// `GET|HEAD /v1/attachments/{uuid}/versions/{number}/download`: with the content rules of every
    /// download (ranges, validators, quarantine), by token or signed link.
    func versionContent(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let uuid = try uuidParameter(context, what: "attachment")
        let principal = try await signedLinks.principal(for: request, context: context)
        let attached = try await service.version(principal, of: uuid, number: try versionParameter(context, of: uuid))
        return try await content.respond(to: request, file: attached.file, through: attached, principal: principal, disposition: .download)
    }

    /// The attachment's ETag, as its download gives it: its current content's SHA-256.
    static func etag(of attached: AttachedFile) -> String {
        "\"\(attached.file.sha256)\""
    }

    private func versionParameter(_ context: some RequestContext, of uuid: UUID) throws(AttacheError) -> Int64 {
        guard let text = context.parameters.get("number"), let number = Int64(text), number > 0 else {
            throw AttacheError(.notFound, "Attachment \(uuid.lowercasedText) has no version \(context.parameters.get("number") ?? "").")
        }
        return number
    }
}
