import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

extension NativeController {
    /// `GET /v1/search?q=&recordType=&record=&type=&limit=&cursor=`: the tenant's attachments whose
    /// name, description, record or content's text match every word of `q` (each as the start of a
    /// word), best first.
    @Sendable func search(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeList<NativeSearchHit> {
        let principal = context.principal
        let parameters = request.uri.queryParameters
        var recordType: RecordType?
        if let text = parameters["recordType"] {
            guard let type = RecordType(rawValue: String(text)) else {
                throw AttacheError(.invalidInput, "recordType must be one of \(RecordType.valueList).", field: "recordType")
            }
            recordType = type
        }
        var recordUUID: UUID?
        if let text = parameters["record"] {
            guard let uuid = UUID(text: String(text)) else { throw AttacheError(.invalidInput, "record must be a record's uuid.", field: "record") }
            recordUUID = uuid
        }
        var fileKind: FileKind?
        if let text = parameters["type"] {
            guard let kind = FileKind(rawValue: String(text)) else {
                throw AttacheError(.invalidInput, "type must be one of \(FileKind.allCases.map(\.rawValue).joined(separator: ", ")).", field: "type")
            }
            fileKind = kind
        }
        var query = try SearchQuery(
            text: parameters["q"].map(String.init) ?? "", recordType: recordType, recordUUID: recordUUID, fileKind: fileKind,
            limit: limitParameter(request),
            cursor: parameters["cursor"].map(String.init)
        )
        query.category = parameters["category"].map(String.init)
        query.tag = parameters["tag"].map(String.init)
        let hits = try await service.search(principal, query)
        let attachments = try await nativeAttachments(hits.map(\.attached), principal: principal, request: request)
        return NativeList(items: zip(hits, attachments).map { NativeSearchHit($0, attachment: $1) }, nextCursor: query.cursor(after: hits.count))
    }
}
