import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

extension NativeController {
    /// `POST /v1/webhooks` (admin): `{url, events, description}`; the answer holds the secret, once.
    @Sendable func createWebhook(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .admin)
        let input = try await RequestBodyDecoder().decode(CreateWebhookRequest.self, from: request)
        let issued = try await service.createWebhook(
            principal, url: input.url, eventTypes: try Self.eventTypes(input.events), description: input.description
        )
        var response = try created(NativeWebhook(issued: issued), request: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `GET /v1/webhooks[?limit=&cursor=]` (admin), newest first.
    @Sendable func listWebhooks(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeList<NativeWebhook> {
        let page = try NewestFirstPageRequest(limit: limitParameter(request), cursor: request.uri.queryParameters["cursor"].map(String.init))
        let endpoints = try await service.webhooks(context.principal, page: page)
        return NativeList(items: endpoints.items.map { NativeWebhook($0) }, nextCursor: endpoints.nextCursor)
    }

    /// `GET /v1/webhooks/{id}` (admin).
    @Sendable func getWebhook(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeWebhook {
        NativeWebhook(try await service.webhook(context.principal, id: try webhookID(context)))
    }

    /// `PATCH /v1/webhooks/{id}` (admin): url, events, description, enabled.
    @Sendable func updateWebhook(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeWebhook {
        let principal = try context.principal(allowedTo: .admin)
        let id = try webhookID(context)
        let input = try await RequestBodyDecoder().decode(UpdateWebhookRequest.self, from: request)
        let change = WebhookEndpointChange(
            url: input.url, eventTypes: try input.events.map(Self.eventTypes), description: input.description, enabled: input.enabled
        )
        return NativeWebhook(try await service.updateWebhook(principal, id: id, change: change))
    }

    /// `POST /v1/webhooks/{id}/secret` (admin): a new secret, shown once; the old one signs beside it
    /// for a day.
    @Sendable func rotateWebhookSecret(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .admin)
        let issued = try await service.rotateWebhookSecret(principal, id: try webhookID(context))
        var response = try NativeWebhook(issued: issued).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// `DELETE /v1/webhooks/{id}` (admin).
    @Sendable func deleteWebhook(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .admin)
        try await service.deleteWebhook(principal, id: try webhookID(context))
        return Response(status: .noContent)
    }

    /// `GET /v1/webhooks/{id}/deliveries[?limit=&cursor=]` (admin), newest first.
    @Sendable func listWebhookDeliveries(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeList<NativeWebhookDelivery> {
        let page = try NewestFirstPageRequest(limit: limitParameter(request), cursor: request.uri.queryParameters["cursor"].map(String.init))
        let deliveries = try await service.webhookDeliveries(context.principal, endpointID: try webhookID(context), page: page)
        return NativeList(items: deliveries.items.map(NativeWebhookDelivery.init), nextCursor: deliveries.nextCursor)
    }

    /// `POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver` (admin): 202, due again at once.
    @Sendable func redeliverWebhook(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .admin)
        let endpointID = try webhookID(context)
        guard let text = context.parameters.get("deliveryId"), let deliveryID = UUID(text: text) else {
            throw AttacheError(.notFound, "Webhook \(endpointID.lowercasedText) has no delivery \(context.parameters.get("deliveryId") ?? "").")
        }
        let delivery = try await service.redeliverWebhook(principal, endpointID: endpointID, deliveryID: deliveryID)
        var response = try NativeWebhookDelivery(delivery).response(from: request, context: context)
        response.status = .accepted
        return response
    }

    private func webhookID(_ context: some RequestContext) throws(AttacheError) -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(text: text) else {
            throw AttacheError(.notFound, "There is no webhook \(context.parameters.get("id") ?? "").")
        }
        return id
    }

    /// Event type names as given; each must be one of ``ChangeEventType``.
    private static func eventTypes(_ names: [String]) throws(AttacheError) -> Set<ChangeEventType> {
        var types = Set<ChangeEventType>()
        for name in names {
            guard let type = ChangeEventType(rawValue: name) else {
                throw AttacheError(
                    .invalidInput, "events must name event types among " + ChangeEventType.allCases.map(\.rawValue).joined(separator: ", ") + "; \(name) is not one.",
                    field: "events"
                )
            }
            types.insert(type)
        }
        return types
    }
}
