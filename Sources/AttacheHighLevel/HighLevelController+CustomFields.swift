import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

/// HighLevel's custom-field definitions: `GET|POST /locations/{locationId}/customFields` and
/// `GET|PUT|DELETE /locations/{locationId}/customFields/{id}`, in the official `{customField}` and
/// `{customFields}` shapes.
extension HighLevelController {
    @Sendable func listFields(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try locationPrincipal(context)
        let model = request.uri.queryParameters["model"].map(String.init).flatMap { $0 == "all" ? nil : $0 }
        let fields = try await faces.service.customFields(principal, model: model)
        return try JSONResponse.make(HighLevelJSON.CustomFieldList(customFields: fields.map { .init($0, locationId: principal.tenant.slug) }))
    }

    @Sendable func createField(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try locationPrincipal(context)
        let input = try await RequestBodyDecoder().decode(HighLevelJSON.CustomFieldInput.self, from: request)
        let field = try await faces.service.createCustomField(principal, definition(from: input, dataType: input.dataType ?? ""))
        return try JSONResponse.make(HighLevelJSON.CustomFieldEnvelope(customField: .init(field, locationId: principal.tenant.slug)), status: .created)
    }

    @Sendable func getField(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try locationPrincipal(context)
        let field = try await faces.service.customField(principal, id: context.parameters.get("fieldId") ?? "")
        return try JSONResponse.make(HighLevelJSON.CustomFieldEnvelope(customField: .init(field, locationId: principal.tenant.slug)))
    }

    @Sendable func updateField(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try locationPrincipal(context)
        let id = context.parameters.get("fieldId") ?? ""
        let current = try await faces.service.customField(principal, id: id)
        let input = try await RequestBodyDecoder().decode(HighLevelJSON.CustomFieldInput.self, from: request)
        let kept = current.definition
        var definition = definition(from: input, dataType: kept.dataType)
        if input.acceptedFormat == nil { definition.acceptedFormats = kept.acceptedFormats }
        if input.isMultipleFile == nil { definition.allowsMultipleFiles = kept.allowsMultipleFiles }
        if input.maxNumberOfFiles == nil { definition.maximumFiles = kept.maximumFiles }
        if input.model == nil { definition.model = kept.model }
        if input.placeholder == nil { definition.placeholder = kept.placeholder }
        let field = try await faces.service.updateCustomField(principal, id: id, definition)
        return try JSONResponse.make(HighLevelJSON.CustomFieldEnvelope(customField: .init(field, locationId: principal.tenant.slug)))
    }

    @Sendable func deleteField(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try locationPrincipal(context)
        try await faces.service.deleteCustomField(principal, id: context.parameters.get("fieldId") ?? "")
        return try JSONResponse.make(HighLevelJSON.Deleted(succeded: true))
    }
}
