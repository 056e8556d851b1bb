import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

extension NativeController {
    @Sendable func createRecord(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        let input = try await RequestBodyDecoder().decode(CreateRecordRequest.self, from: request)
        let record = try await service.createRecord(principal, type: input.type, externalIdentifier: input.externalIdentifier, title: input.title)
        return try created(NativeRecord(record, links: links, tenant: principal.tenant, request: request), request: request, context: context)
    }

    @Sendable func listRecords(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeList<NativeRecord> {
        let principal = context.principal
        let query = request.uri.queryParameters
        var filter = RecordQuery()
        if let type = query["type"] {
            guard let recordType = RecordType(rawValue: String(type)) else {
                throw AttacheError(.invalidInput, "type must be one of \(RecordType.valueList).", field: "type")
            }
            filter.type = recordType
        }
        filter.externalIdentifier = query["externalIdentifier"].map(String.init)
        filter.reference = query["reference"].map(String.init)
        filter.titlePrefix = query["title"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let page = try await service.records(principal, matching: filter, page: pageRequest(request))
        return NativeList(items: page.items.map { NativeRecord($0, links: links, tenant: principal.tenant, request: request) }, nextCursor: page.nextCursor)
    }

    @Sendable func getRecord(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeRecord {
        let principal = context.principal
        return NativeRecord(try await service.record(principal, uuid: uuidParameter(context, what: "record")), links: links, tenant: principal.tenant, request: request)
    }

    @Sendable func updateRecord(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeRecord {
        let principal = try context.principal(allowedTo: .write)
        let uuid = try uuidParameter(context, what: "record")
        let input = try await RequestBodyDecoder().decode(UpdateRecordRequest.self, from: request)
        let record = try await service.updateRecord(
            principal, uuid: uuid, title: input.title, externalIdentifier: input.externalIdentifier, legalHold: input.legalHold
        )
        return NativeRecord(record, links: links, tenant: principal.tenant, request: request)
    }

    @Sendable func deleteRecord(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        try await service.deleteRecord(principal, uuid: uuidParameter(context, what: "record"))
        return Response(status: .noContent)
    }
}
