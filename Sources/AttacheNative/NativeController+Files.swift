import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

extension NativeController {
    /// Unlinked upload: multipart `file` (one or several) or a raw body. One file → the file, several → `{items}`.
    @Sendable func uploadFiles(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let stored = try await intake.receive(request, context: context, form: Self.uploadForm) { received in
            try await service.storeFiles(principal, received.batch)
        }
        let files = stored.map { NativeFile($0.0, links: links, tenant: principal.tenant, request: request) }
        if files.count == 1 {
            return try created(files[0], request: request, context: context)
        }
        return try created(NativeList(items: files, nextCursor: nil), request: request, context: context)
    }

    @Sendable func listFiles(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeList<NativeFile> {
        let principal = context.principal
        let unlinked: Bool
        switch request.uri.queryParameters["unlinked"] {
        case nil, "false": unlinked = false
        case "true": unlinked = true
        case let other?: throw AttacheError(.invalidInput, "unlinked must be true or false, not '\(other)'.", field: "unlinked")
        }
        let page = try await service.files(principal, unlinkedOnly: unlinked, page: pageRequest(request))
        return NativeList(items: page.items.map { NativeFile($0, links: links, tenant: principal.tenant, request: request) }, nextCursor: page.nextCursor)
    }

    @Sendable func getFile(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeFile {
        let principal = context.principal
        let file = try await service.file(principal, id: idParameter(context))
        return NativeFile(file, links: links, tenant: principal.tenant, request: request)
    }

    @Sendable func deleteFile(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        try await service.deleteFile(principal, id: idParameter(context))
        return Response(status: .noContent)
    }

    func fileContent(_ request: Request, context: AttacheRequestContext, disposition: ContentResponder.Disposition) async throws -> Response {
        let id = try idParameter(context)
        let principal = try await signedLinks.principal(for: request, context: context)
        let file = try await service.file(principal, id: id)
        return try await content.respond(to: request, file: file, principal: principal, disposition: disposition)
    }
}
