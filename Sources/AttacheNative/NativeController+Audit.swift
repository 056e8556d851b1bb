import AttacheCore
import AttacheHTTP
import AttacheJSON
import Foundation
import Hummingbird

extension NativeController {
    /// `GET /v1/audit?record=&file=&action=&since=&cursor=&limit=&order=` (admin tokens only).
    @Sendable func listAuditEvents(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeList<NativeAuditEvent> {
        let principal = try context.principal(allowedTo: .admin)
        let query = request.uri.queryParameters
        var filter = AuditQuery()
        if let text = query["record"] {
            guard let uuid = UUID(text: String(text)) else {
                throw AttacheError(.invalidInput, "record must be a record's uuid.", field: "record")
            }
            filter.recordUUID = uuid
        }
        if let text = query["file"] {
            guard let id = Int64(text) else {
                throw AttacheError(.invalidInput, "file must be a file's id.", field: "file")
            }
            filter.fileID = id
        }
        if let text = query["action"] {
            guard let action = AuditAction(rawValue: String(text)) else {
                throw AttacheError(
                    .invalidInput, "action must be one of " + AuditAction.allCases.map(\.rawValue).joined(separator: ", ") + ".", field: "action"
                )
            }
            filter.action = action
        }
        if let text = query["since"] {
            guard let since = TimestampFormat.parseISO8601(String(text)) else {
                throw AttacheError(.invalidInput, "since must be a date and time such as 2026-12-01T09:30:00Z.", field: "since")
            }
            filter.since = since
        }
        let page = try await service.auditEvents(principal, matching: filter, page: pageRequest(request))
        return NativeList(items: page.items.map(NativeAuditEvent.init), nextCursor: page.nextCursor)
    }
}
