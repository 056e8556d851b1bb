import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

extension NativeController {
    /// Multipart (`file`, repeatable, and `description`), a raw body, or JSON `{fileIds, description}`.
    @Sendable func addAttachments(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let record = try await service.record(principal, uuid: uuidParameter(context, what: "record"))
        let mediaType = HeaderParameters(request.headers[.contentType] ?? "").value
        if mediaType == "application/json" {
            try intake.checkExpectation(of: request)
            let input = try await RequestBodyDecoder().decode(LinkFilesRequest.self, from: request)
            let attached = try await service.attach(principal, fileIDs: input.fileIds, toRecord: record.id, description: input.description)
            return try created(await render(attached, principal: principal, request: request), request: request, context: context)
        }
        let stored = try await intake.receive(request, context: context, for: record, form: Self.uploadForm) { received in
            let query = request.uri.queryParameters
            let description = received.field("description") ?? query["description"].map(String.init)
            var link = AttachmentLink(recordID: record.id, description: description)
            link.category = (received.field("category") ?? query["category"].map(String.init)).flatMap { $0.isEmpty ? nil : $0 }
            link.tags = AttachmentTags.list(commaSeparated: received.field("tags") ?? query["tags"].map(String.init))
            return try await service.storeFiles(principal, received.batch, linkTo: link)
        }
        let attached = stored.compactMap { file, attachment in
            attachment.map { AttachedFile(attachment: $0, file: file, record: record) }
        }
        return try created(await render(attached, principal: principal, request: request), request: request, context: context)
    }

    @Sendable func listAttachments(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeList<NativeAttachment> {
        let principal = context.principal
        let record = try await service.record(principal, uuid: uuidParameter(context, what: "record"))
        let query = request.uri.queryParameters
        let labels = AttachmentLabelFilter(category: query["category"].map(String.init), tag: query["tag"].map(String.init))
        let page = try await service.attachments(principal, ofRecord: record.id, page: pageRequest(request), labels: labels)
        return NativeList(
            items: try await nativeAttachments(page.items, principal: principal, request: request),
            nextCursor: page.nextCursor
        )
    }

    /// `GET /v1/attachments/{uuid}`, with the attachment's ETag (its content's, as the download's):
    /// what `If-Match` names when a new version is stored.
    @Sendable func getAttachment(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = context.principal
        let attached = try await service.attachment(principal, uuid: uuidParameter(context, what: "attachment"))
        var response = try await nativeAttachment(attached, principal: principal, request: request).response(from: request, context: context)
        response.headers[.eTag] = Self.etag(of: attached)
        return response
    }

    @Sendable func updateAttachment(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeAttachment {
        let principal = try context.principal(allowedTo: .write)
        let uuid = try uuidParameter(context, what: "attachment")
        let input = try await RequestBodyDecoder().decode(UpdateAttachmentRequest.self, from: request)
        if let name = input.name, name.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters)).isEmpty {
            throw AttacheError(.invalidInput, "name must not be empty.", field: "name")
        }
        let attached = try await service.updateAttachment(
            principal, uuid: uuid, description: input.description, fileName: input.name, moveTo: input.record, category: input.category, tags: input.tags,
            expiresOn: input.expiresOn, legalHold: input.legalHold
        )
        return try await nativeAttachment(attached, principal: principal, request: request)
    }

    @Sendable func deleteAttachment(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        try await service.deleteAttachment(principal, uuid: uuidParameter(context, what: "attachment"))
        return Response(status: .noContent)
    }

    func attachmentContent(_ request: Request, context: AttacheRequestContext, disposition: ContentResponder.Disposition) async throws -> Response {
        let uuid = try uuidParameter(context, what: "attachment")
        let principal = try await signedLinks.principal(for: request, context: context)
        let attached = try await service.attachment(principal, uuid: uuid)
        return try await content.respond(to: request, file: attached.file, through: attached, principal: principal, disposition: disposition)
    }

    /// One attachment as an object, several as `{items: […]}`.
    private func render(_ attached: [AttachedFile], principal: Principal, request: Request) async throws -> NativeAttachmentsResult {
        let items = try await nativeAttachments(attached, principal: principal, request: request)
        return items.count == 1 ? .single(items[0]) : .several(NativeList(items: items, nextCursor: nil))
    }

    /// Attachments as the native API shows them, each with when retention deletes it.
    func nativeAttachments(_ attached: [AttachedFile], principal: Principal, request: Request) async throws -> [NativeAttachment] {
        let deletions = try await service.scheduledDeletions(principal, of: attached)
        return attached.map {
            NativeAttachment($0, deletesAt: deletions[$0.attachment.uuid], links: links, tenant: principal.tenant, request: request)
        }
    }

    func nativeAttachment(_ attached: AttachedFile, principal: Principal, request: Request) async throws -> NativeAttachment {
        let deletion = try await service.scheduledDeletions(principal, of: [attached])
        return NativeAttachment(attached, deletesAt: deletion[attached.attachment.uuid], links: links, tenant: principal.tenant, request: request)
    }
}

/// The body of `POST /v1/records/{uuid}/attachments`: the attachment, or `{items}` for several files.
enum NativeAttachmentsResult: ResponseEncodable {
    case single(NativeAttachment)
    case several(NativeList<NativeAttachment>)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .single(let attachment): try attachment.encode(to: encoder)
        case .several(let list): try list.encode(to: encoder)
        }
    }
}
