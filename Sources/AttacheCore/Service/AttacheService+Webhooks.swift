import Foundation

/// Webhook endpoints, an admin's business: each takes the tenant's change events of the types it
/// names, signed with a secret shown once (``WebhookEndpoint``, ``WebhookSecret``).
extension AttacheService {
    /// How long a rotated-out secret keeps signing beside the new one, so a receiver can switch over.
    public static let webhookSecretOverlap: TimeInterval = 24 * 3600
    static let maximumWebhookDescriptionLength = 500

    /// Saves an endpoint once its URL passed the address policy. - Returns: it and its secret, shown this once.
    /// - Throws: `forbidden` without an admin token; `invalidInput` for a URL that is malformed or
    ///   leads where deliveries may not go, no event types, or a description that is too long.
    public func createWebhook(_ principal: Principal, url: String, eventTypes: Set<ChangeEventType>, description: String?) async throws -> IssuedWebhookEndpoint {
        try principal.require(.admin)
        let checked = try await checkedWebhookURL(url)
        try Self.checkWebhook(eventTypes: eventTypes, description: description)
        let now = Date()
        let endpoint = WebhookEndpoint(
            id: UUID(), tenantID: principal.tenant.id, url: checked.text, eventTypes: eventTypes, description: description, createdAt: now, updatedAt: now
        )
        let secret = WebhookSecret.generate()
        try await metadata.createWebhookEndpoint(endpoint, secret: secret, audit: principal.auditContext(at: now))
        return IssuedWebhookEndpoint(endpoint: endpoint, secret: secret)
    }

    public func webhooks(_ principal: Principal, page: NewestFirstPageRequest) async throws -> Page<WebhookEndpoint> {
        try principal.require(.admin)
        return try await metadata.webhookEndpoints(tenantID: principal.tenant.id, page: page)
    }

    /// - Throws: `forbidden` without an admin token; `notFound`.
    public func webhook(_ principal: Principal, id: UUID) async throws -> WebhookEndpoint {
        try principal.require(.admin)
        guard let endpoint = try await metadata.webhookEndpoint(tenantID: principal.tenant.id, id: id) else { throw Self.noWebhook(id) }
        return endpoint
    }

    /// Changes an endpoint's URL (checked as at creation), event types, description, or whether it
    /// is enabled.
    public func updateWebhook(_ principal: Principal, id: UUID, change: WebhookEndpointChange) async throws -> WebhookEndpoint {
        try principal.require(.admin)
        var checked = change
        if let url = change.url { checked.url = try await checkedWebhookURL(url).text }
        try Self.checkWebhook(eventTypes: change.eventTypes, description: change.description ?? nil)
        guard let endpoint = try await metadata.updateWebhookEndpoint(tenantID: principal.tenant.id, id: id, change: checked, audit: principal.auditContext()) else {
            throw Self.noWebhook(id)
        }
        return endpoint
    }

    /// Gives an endpoint a new secret; the old one signs beside it for ``webhookSecretOverlap``.
    public func rotateWebhookSecret(_ principal: Principal, id: UUID) async throws -> IssuedWebhookEndpoint {
        try principal.require(.admin)
        let audit = principal.auditContext()
        let secret = WebhookSecret.generate()
        guard let endpoint = try await metadata.rotateWebhookSecret(
            tenantID: principal.tenant.id, id: id, secret: secret, previousExpiresAt: audit.time.addingTimeInterval(Self.webhookSecretOverlap), audit: audit
        ) else {
            throw Self.noWebhook(id)
        }
        return IssuedWebhookEndpoint(endpoint: endpoint, secret: secret)
    }

    /// Deletes an endpoint and its deliveries; events already in the feed stay there.
    public func deleteWebhook(_ principal: Principal, id: UUID) async throws {
        try principal.require(.admin)
        guard try await metadata.deleteWebhookEndpoint(tenantID: principal.tenant.id, id: id, audit: principal.auditContext()) else {
            throw Self.noWebhook(id)
        }
    }

    public func webhookDeliveries(_ principal: Principal, endpointID: UUID, page: NewestFirstPageRequest) async throws -> Page<WebhookDelivery> {
        _ = try await webhook(principal, id: endpointID)
        return try await metadata.webhookDeliveries(tenantID: principal.tenant.id, endpointID: endpointID, page: page)
    }

    /// Sends a delivery again, with a fresh schedule and the same `webhook-id` and body.
    /// - Throws: `notFound`; `conflict` while an attempt of it is in flight.
    public func redeliverWebhook(_ principal: Principal, endpointID: UUID, deliveryID: UUID) async throws -> WebhookDelivery {
        _ = try await webhook(principal, id: endpointID)
        let now = Date()
        guard let delivery = try await metadata.redeliverWebhook(tenantID: principal.tenant.id, endpointID: endpointID, deliveryID: deliveryID, now: now) else {
            throw AttacheError(.notFound, "Webhook \(endpointID.lowercasedText) has no delivery \(deliveryID.lowercasedText).")
        }
        guard delivery.state == .pending, delivery.attempts == 0 else {
            throw AttacheError(.conflict, "An attempt of this delivery is in flight; it is not sent again until it ends.")
        }
        return delivery
    }

    /// The URL's form, then where it leads (``WebhookTransport/check(_:)``).
    private func checkedWebhookURL(_ text: String) async throws -> WebhookURL {
        let url = try WebhookURL(text)
        guard let webhookTransport else {
            throw AttacheError(.internal, "This server was started without a way to deliver webhooks.")
        }
        try await webhookTransport.check(url)
        return url
    }

    private static func checkWebhook(eventTypes: Set<ChangeEventType>?, description: String?) throws(AttacheError) {
        if let eventTypes, eventTypes.isEmpty {
            throw AttacheError(.invalidInput, "events must name at least one event type.", field: "events")
        }
        if let description, description.unicodeScalars.count > maximumWebhookDescriptionLength {
            throw AttacheError(.invalidInput, "description must be at most \(maximumWebhookDescriptionLength) characters.", field: "description")
        }
    }

    private static func noWebhook(_ id: UUID) -> AttacheError {
        AttacheError(.notFound, "There is no webhook \(id.lowercasedText).")
    }
}
