public import Foundation

/// Webhook endpoints and their deliveries. (A role of ``MetadataStore``.)
///
/// Deliveries are made by the store itself, in the transaction that writes the change events they
/// carry (``EventStore``): one per event and enabled endpoint of the event's tenant that takes its
/// type, with the body every attempt sends (``ChangeEvent/webhookBody()``). So an event is never
/// missed, whichever node wrote it and however that node ends.
///
/// Any node delivers. A node claims due deliveries with a lease; a delivery whose lease ended (its node
/// died mid-attempt) is due again, so each is delivered at least once. Claims keep each endpoint's
/// pace over every node: the endpoint's row holds when its next attempt may start, and the claim that
/// moves it counts the attempts in flight (leased, unfinished) first.
public protocol WebhookStore: Sendable {
    /// Saves a new endpoint with its secret.
    func createWebhookEndpoint(_ endpoint: WebhookEndpoint, secret: WebhookSecret, audit: AuditContext) async throws

    /// A tenant's endpoints, newest first.
    func webhookEndpoints(tenantID: Int64, page: NewestFirstPageRequest) async throws -> Page<WebhookEndpoint>

    func webhookEndpoint(tenantID: Int64, id: UUID) async throws -> WebhookEndpoint?

    /// Applies a checked change. - Returns: the endpoint as changed; `nil` when the tenant has no such endpoint.
    func updateWebhookEndpoint(tenantID: Int64, id: UUID, change: WebhookEndpointChange, audit: AuditContext) async throws -> WebhookEndpoint?

    /// Gives the endpoint `secret`, keeping the one it had signing beside it until `previousExpiresAt`.
    /// - Returns: the endpoint; `nil` when the tenant has no such endpoint.
    func rotateWebhookSecret(tenantID: Int64, id: UUID, secret: WebhookSecret, previousExpiresAt: Date, audit: AuditContext) async throws -> WebhookEndpoint?

    /// Deletes an endpoint and its deliveries. - Returns: `false` when the tenant has no such endpoint.
    func deleteWebhookEndpoint(tenantID: Int64, id: UUID, audit: AuditContext) async throws -> Bool

    /// An endpoint's deliveries, newest first.
    func webhookDeliveries(tenantID: Int64, endpointID: UUID, page: NewestFirstPageRequest) async throws -> Page<WebhookDelivery>

    /// Makes a delivery due now with a fresh schedule, whatever its state, unless an attempt of it is
    /// in flight. - Returns: the delivery; `nil` when the endpoint has no such delivery.
    func redeliverWebhook(tenantID: Int64, endpointID: UUID, deliveryID: UUID, now: Date) async throws -> WebhookDelivery?

    /// Claims up to `limit` due deliveries of enabled endpoints for `holder`, each leased from its
    /// start for `lease`, counting an attempt. Each endpoint gives at most as many as its pace allows:
    /// fewer than `pace.maximumInFlight` unfinished, starts `pace.interval` apart, none starting more
    /// than a second after `now`.
    func claimWebhookDeliveries(holder: String, now: Date, limit: Int, pace: WebhookPace, lease: Duration) async throws -> [ClaimedWebhookDelivery]

    /// Records a finished attempt and ends the lease. `false` (and nothing written) when `holder` no
    /// longer holds the delivery.
    func finishWebhookDelivery(_ id: UUID, holder: String, outcome: WebhookAttemptOutcome, now: Date) async throws -> Bool

    /// Deletes up to `limit` delivered or failed deliveries (of every tenant) made before `cutoff`.
    /// - Returns: how many.
    func deleteWebhookDeliveries(before cutoff: Date, limit: Int) async throws -> Int
}
