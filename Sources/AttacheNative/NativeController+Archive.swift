import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

extension NativeController {
    /// `GET /v1/records/{uuid}/archive[?attachments=uuid,uuid]`: the record's attachments as one ZIP,
    /// for a token or the record's signed `archiveUrl`.
    @Sendable func recordArchive(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let uuid = try uuidParameter(context, what: "record")
        let principal = try await signedLinks.principal(for: request, context: context)
        let archive = try await service.recordArchive(principal, recordUUID: uuid, attachments: try Self.attachmentSelection(request))
        return try await content.respond(to: request, archive: archive, principal: principal)
    }

    /// The `attachments` query: comma-separated uuids; `nil` when absent (all of them).
    static func attachmentSelection(_ request: Request) throws(AttacheError) -> [UUID]? {
        guard let text = request.uri.queryParameters["attachments"] else { return nil }
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var uuids: [UUID] = []
        for item in items {
            guard let uuid = UUID(text: item) else {
                throw AttacheError(.invalidInput, "attachments must be attachment uuids separated by commas; '\(item)' is not one.", field: "attachments")
            }
            uuids.append(uuid)
        }
        return uuids
    }
}
