import AttacheCore
import Foundation
import SQLKit

/// ``WebhookStore``: endpoints in `webhook_endpoints`, deliveries in `webhook_deliveries`.
extension SQLMetadataStore {
    public func createWebhookEndpoint(_ endpoint: WebhookEndpoint, secret: WebhookSecret, audit: AuditContext) async throws {
        let at = endpoint.createdAt.millisecondsSince1970
        try await database.write { db in
            try await db.raw("""
                INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, description, secret, created_at, updated_at)
                VALUES (\(bind: endpoint.id.databaseText), \(bind: endpoint.tenantID), \(bind: endpoint.url), \(bind: Self.eventTypesText(endpoint.eventTypes)),
                        \(bind: endpoint.description), \(bind: secret.text), \(bind: at), \(bind: at))
                """).run()
            try await Self.writeAuditEvents([audit.event(.webhookCreate, tenantID: endpoint.tenantID, detail: endpoint.auditName)], in: db)
        }
    }

    public func webhookEndpoints(tenantID: Int64, page: NewestFirstPageRequest) async throws -> Page<WebhookEndpoint> {
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.webhookEndpoint) FROM webhook_endpoints WHERE tenant_id = \(bind: tenantID)\(page.keysetClause)
                """).all().map { try $0.webhookEndpoint() }
        }
        return page.page(rows) { .init(time: $0.createdAt, id: $0.id) }
    }

    public func webhookEndpoint(tenantID: Int64, id: UUID) async throws -> WebhookEndpoint? {
        try await database.read { db in
            try await Self.webhookEndpoint(tenantID: tenantID, id: id, in: db)
        }
    }

    public func updateWebhookEndpoint(tenantID: Int64, id: UUID, change: WebhookEndpointChange, audit: AuditContext) async throws -> WebhookEndpoint? {
        try await database.write { db in
            guard let current = try await Self.webhookEndpoint(tenantID: tenantID, id: id, in: db) else { return nil }
            var sets: [SQLQueryString] = ["updated_at = \(bind: audit.time.millisecondsSince1970)"]
            if let url = change.url { sets.append("url = \(bind: url)") }
            if let types = change.eventTypes { sets.append("event_types = \(bind: Self.eventTypesText(types))") }
            if let description = change.description { sets.append("description = \(bind: description)") }
            switch change.enabled {
            case true? where !current.isEnabled: sets.append("disabled_at = NULL, disabled_reason = NULL")
            case false? where current.isEnabled:
                sets.append("disabled_at = \(bind: audit.time.millisecondsSince1970), disabled_reason = \(bind: "disabled by \(audit.actor.text)")")
            default: break
            }
            try await db.raw("UPDATE webhook_endpoints SET \(sets.joined(separator: ", ")) WHERE id = \(bind: id.databaseText)").run()
            guard let updated = try await Self.webhookEndpoint(tenantID: tenantID, id: id, in: db) else { return nil }
            try await Self.writeAuditEvents([audit.event(.webhookUpdate, tenantID: tenantID, detail: updated.auditName)], in: db)
            return updated
        }
    }

    public func rotateWebhookSecret(tenantID: Int64, id: UUID, secret: WebhookSecret, previousExpiresAt: Date, audit: AuditContext) async throws -> WebhookEndpoint? {
        try await database.write { db in
            guard try await db.raw("""
                UPDATE webhook_endpoints SET previous_secret = secret, secret = \(bind: secret.text),
                    previous_secret_expires_at = \(bind: previousExpiresAt.millisecondsSince1970), updated_at = \(bind: audit.time.millisecondsSince1970)
                WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id.databaseText)
                RETURNING id
                """).first() != nil, let endpoint = try await Self.webhookEndpoint(tenantID: tenantID, id: id, in: db)
            else { return nil }
            try await Self.writeAuditEvents(
                [audit.event(.webhookUpdate, tenantID: tenantID, detail: endpoint.auditName + ": secret rotated")], in: db
            )
            return endpoint
        }
    }

    public func deleteWebhookEndpoint(tenantID: Int64, id: UUID, audit: AuditContext) async throws -> Bool {
        try await database.write { db in
            guard let endpoint = try await Self.webhookEndpoint(tenantID: tenantID, id: id, in: db) else { return false }
            try await db.raw("DELETE FROM webhook_deliveries WHERE endpoint_id = \(bind: id.databaseText)").run()
            try await db.raw("DELETE FROM webhook_endpoints WHERE id = \(bind: id.databaseText)").run()
            try await Self.writeAuditEvents([audit.event(.webhookDelete, tenantID: tenantID, detail: endpoint.auditName)], in: db)
            return true
        }
    }

    public func webhookDeliveries(tenantID: Int64, endpointID: UUID, page: NewestFirstPageRequest) async throws -> Page<WebhookDelivery> {
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.webhookDelivery) FROM webhook_deliveries
                WHERE tenant_id = \(bind: tenantID) AND endpoint_id = \(bind: endpointID.databaseText)\(page.keysetClause)
                """).all().map { try $0.webhookDelivery() }
        }
        return page.page(rows) { .init(time: $0.createdAt, id: $0.id) }
    }

    public func redeliverWebhook(tenantID: Int64, endpointID: UUID, deliveryID: UUID, now: Date) async throws -> WebhookDelivery? {
        let at = now.millisecondsSince1970
        return try await database.write { db in
            let matches: SQLQueryString = """
                tenant_id = \(bind: tenantID) AND endpoint_id = \(bind: endpointID.databaseText) AND id = \(bind: deliveryID.databaseText)
                """
            // An attempt in flight is left alone (it is answered as it stands).
            try await db.raw("""
                UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = \(bind: at), delivered_at = NULL,
                    holder = NULL, lease_end = NULL
                WHERE \(matches) AND NOT (state = 'pending' AND lease_end IS NOT NULL AND lease_end >= \(bind: at))
                """).run()
            return try await db.raw("SELECT \(unsafeRaw: SQLColumns.webhookDelivery) FROM webhook_deliveries WHERE \(matches)")
                .first()?.webhookDelivery()
        }
    }

    public func claimWebhookDeliveries(holder: String, now: Date, limit: Int, pace: WebhookPace, lease: Duration) async throws -> [ClaimedWebhookDelivery] {
        let at = now.millisecondsSince1970
        let due: SQLQueryString = "state = 'pending' AND next_attempt_at <= \(bind: at) AND (lease_end IS NULL OR lease_end < \(bind: at))"
        // Idle nodes ask often: a read first, so an empty queue never takes SQLite's write lock. It asks
        // each enabled endpoint whose pace allows a start within the second for one due delivery (an
        // index seek per endpoint, whatever its queue holds).
        let waiting = try await database.read { db in
            try await db.raw("""
                SELECT id FROM webhook_endpoints e WHERE disabled_at IS NULL AND next_start_at <= \(bind: at + 1000)
                  AND EXISTS (SELECT 1 FROM webhook_deliveries WHERE endpoint_id = e.id AND \(due))
                LIMIT 100
                """).all().map { try $0.uuid("id") }
        }
        guard !waiting.isEmpty, limit > 0 else { return [] }
        let forUpdate = database.flavor == .postgres ? " FOR UPDATE" : ""
        let interval = Int64(pace.interval.timeInterval * 1000)
        let leaseLength = Int64(lease.timeInterval * 1000)
        return try await database.write { db in
            var claimed: [ClaimedWebhookDelivery] = []
            for endpointID in waiting where claimed.count < limit {
                // The endpoint's row is held until the claim commits: claims of one endpoint on several
                // nodes follow each other, each seeing the attempts and the pace the last one left.
                guard let endpoint = try await db.raw("""
                    SELECT url, secret, previous_secret, previous_secret_expires_at, next_start_at, disabled_at FROM webhook_endpoints
                    WHERE id = \(bind: endpointID.databaseText)\(unsafeRaw: forUpdate)
                    """).first(), try endpoint.decodeNil(column: "disabled_at")
                else { continue }
                let inFlight = try await db.raw("""
                    SELECT COUNT(*) AS count FROM webhook_deliveries
                    WHERE endpoint_id = \(bind: endpointID.databaseText) AND state = 'pending' AND lease_end IS NOT NULL AND lease_end >= \(bind: at)
                    """).first()?.int64("count") ?? 0
                var nextStart = max(try endpoint.int64("next_start_at"), at)
                var starts: [Int64] = []
                while starts.count < min(pace.maximumInFlight - Int(inFlight), limit - claimed.count), nextStart <= at + 1000 {
                    starts.append(nextStart)
                    nextStart += interval
                }
                guard !starts.isEmpty else { continue }
                let rows = try await db.raw("""
                    SELECT id, tenant_id, body, attempts FROM webhook_deliveries WHERE endpoint_id = \(bind: endpointID.databaseText) AND \(due)
                    ORDER BY event_number LIMIT \(literal: starts.count)
                    """).all()
                guard !rows.isEmpty else { continue }
                var secrets = [try Self.webhookSecret(endpoint.string("secret"))]
                if let previous = try endpoint.optionalString("previous_secret"), try endpoint.optionalInt64("previous_secret_expires_at") ?? 0 > at {
                    secrets.append(try Self.webhookSecret(previous))
                }
                for (row, start) in zip(rows, starts) {
                    let id = try row.uuid("id")
                    try await db.raw("""
                        UPDATE webhook_deliveries SET holder = \(bind: holder), lease_end = \(bind: start + leaseLength), attempts = attempts + 1,
                            last_attempt_at = \(bind: start)
                        WHERE id = \(bind: id.databaseText)
                        """).run()
                    claimed.append(ClaimedWebhookDelivery(
                        id: id, endpointID: endpointID, tenantID: try row.int64("tenant_id"), url: try endpoint.string("url"), secrets: secrets,
                        body: Array(try row.string("body").utf8), attempt: Int(try row.int64("attempts")) + 1,
                        startAt: Date(millisecondsSince1970: start)
                    ))
                }
                let used = starts[rows.count - 1] + interval
                try await db.raw("UPDATE webhook_endpoints SET next_start_at = \(bind: used) WHERE id = \(bind: endpointID.databaseText)").run()
            }
            return claimed
        }
    }

    public func finishWebhookDelivery(_ id: UUID, holder: String, outcome: WebhookAttemptOutcome, now: Date) async throws -> Bool {
        let at = now.millisecondsSince1970
        let sets: SQLQueryString
        switch outcome {
        case .delivered(let status):
            sets = "state = 'delivered', delivered_at = \(bind: at), last_status = \(bind: status), last_error = NULL, next_attempt_at = NULL"
        case .retry(let next, let status, let reason):
            sets = "next_attempt_at = \(bind: next.millisecondsSince1970), last_status = \(bind: status), last_error = \(bind: reason)"
        case .failed(let status, let reason):
            sets = "state = 'failed', next_attempt_at = NULL, last_status = \(bind: status), last_error = \(bind: reason)"
        case .gone:
            sets = "state = 'failed', next_attempt_at = NULL, last_status = 410, last_error = \(bind: WebhookAttemptOutcome.goneReason)"
        }
        return try await database.write { db in
            guard let row = try await db.raw("""
                UPDATE webhook_deliveries SET \(sets), holder = NULL, lease_end = NULL
                WHERE id = \(bind: id.databaseText) AND holder = \(bind: holder) AND state = 'pending'
                RETURNING endpoint_id, tenant_id
                """).first()
            else { return false }
            if case .gone = outcome {
                let endpointID = try row.uuid("endpoint_id")
                let tenantID = try row.int64("tenant_id")
                let disabled = try await db.raw("""
                    UPDATE webhook_endpoints SET disabled_at = \(bind: at), disabled_reason = \(bind: WebhookAttemptOutcome.goneReason), updated_at = \(bind: at)
                    WHERE id = \(bind: endpointID.databaseText) AND disabled_at IS NULL
                    RETURNING id
                    """).first()
                if disabled != nil, let endpoint = try await Self.webhookEndpoint(tenantID: tenantID, id: endpointID, in: db) {
                    let audit = AuditContext(actor: .system, time: now)
                    try await Self.writeAuditEvents(
                        [audit.event(.webhookUpdate, tenantID: tenantID, detail: endpoint.auditName + ": disabled, " + WebhookAttemptOutcome.goneReason)], in: db
                    )
                }
            }
            return true
        }
    }

    public func deleteWebhookDeliveries(before cutoff: Date, limit: Int) async throws -> Int {
        try await database.write { db in
            try await db.raw("""
                DELETE FROM webhook_deliveries WHERE id IN (
                    SELECT id FROM webhook_deliveries WHERE created_at < \(bind: cutoff.millisecondsSince1970) AND state <> 'pending'
                    ORDER BY created_at LIMIT \(literal: limit))
                RETURNING id
                """).all().count
        }
    }

    /// Makes the deliveries of tenant events just written, in the transaction that wrote them: one per
    /// event and enabled endpoint of the tenant that takes the event's type, due at once.
    static func queueWebhookDeliveries(of events: [ChangeEvent], tenantID: Int64, in db: any SQLDatabase) async throws {
        let endpoints = try await db.raw("""
            SELECT id, event_types FROM webhook_endpoints WHERE tenant_id = \(bind: tenantID) AND disabled_at IS NULL
            """).all().map { (id: try $0.uuid("id"), types: Self.eventTypes(try $0.string("event_types"))) }
        guard !endpoints.isEmpty else { return }
        var sql: SQLQueryString = """
            INSERT INTO webhook_deliveries (id, endpoint_id, tenant_id, event_number, event_type, body, state, next_attempt_at, created_at) VALUES
            """
        var count = 0
        for event in events {
            let receivers = endpoints.filter { $0.types.contains(event.type) }
            guard !receivers.isEmpty else { continue }
            // Encoded once per event that some endpoint takes, not for every event written.
            let body = String(decoding: try event.webhookBody(), as: UTF8.self)
            let at = event.time.millisecondsSince1970
            for endpoint in receivers {
                sql += count == 0 ? " " : ", "
                sql += """
                    (\(bind: UUID().databaseText), \(bind: endpoint.id.databaseText), \(bind: tenantID), \(bind: event.number),
                     \(bind: event.type.rawValue), \(bind: body), 'pending', \(bind: at), \(bind: at))
                    """
                count += 1
            }
        }
        if count > 0 { try await db.raw(sql).run() }
    }

    static func webhookEndpoint(tenantID: Int64, id: UUID, in db: any SQLDatabase) async throws -> WebhookEndpoint? {
        try await db.raw("""
            SELECT \(unsafeRaw: SQLColumns.webhookEndpoint) FROM webhook_endpoints WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id.databaseText)
            """).first()?.webhookEndpoint()
    }

    /// Event types as stored: their names, sorted, separated by commas.
    static func eventTypesText(_ types: Set<ChangeEventType>) -> String {
        types.map(\.rawValue).sorted().joined(separator: ",")
    }

    /// Event types as stored; names this binary does not know (written by a newer one) are left out.
    static func eventTypes(_ text: String) -> Set<ChangeEventType> {
        Set(text.split(separator: ",").compactMap { ChangeEventType(rawValue: String($0)) })
    }

    static func webhookSecret(_ text: String) throws -> WebhookSecret {
        guard let secret = WebhookSecret(text: text) else { throw SQLStoreError.corruptRow(column: "webhook_endpoints.secret") }
        return secret
    }

}

extension SQLColumns {
    static let webhookEndpoint = """
        id, tenant_id, url, event_types, description, created_at, updated_at, disabled_at, disabled_reason, previous_secret_expires_at
        """
    static let webhookDelivery = """
        id, endpoint_id, tenant_id, event_number, event_type, state, attempts, next_attempt_at, last_attempt_at, last_status, last_error,
        delivered_at, created_at
        """
}

extension SQLRow {
    func webhookEndpoint() throws -> WebhookEndpoint {
        WebhookEndpoint(
            id: try uuid("id"), tenantID: try int64("tenant_id"), url: try string("url"),
            eventTypes: SQLMetadataStore.eventTypes(try string("event_types")), description: try optionalString("description"),
            createdAt: try date("created_at"), updatedAt: try date("updated_at"), disabledAt: try optionalDate("disabled_at"),
            disabledReason: try optionalString("disabled_reason"), previousSecretExpiresAt: try optionalDate("previous_secret_expires_at")
        )
    }

    func webhookDelivery() throws -> WebhookDelivery {
        WebhookDelivery(
            id: try uuid("id"), endpointID: try uuid("endpoint_id"), tenantID: try int64("tenant_id"), eventNumber: try int64("event_number"),
            eventType: try enumValue("event_type", as: ChangeEventType.self), state: try enumValue("state", as: WebhookDeliveryState.self),
            attempts: Int(try int64("attempts")), nextAttemptAt: try optionalDate("next_attempt_at"), lastAttemptAt: try optionalDate("last_attempt_at"),
            lastStatus: try optionalInt64("last_status").map(Int.init), lastError: try optionalString("last_error"),
            deliveredAt: try optionalDate("delivered_at"), createdAt: try date("created_at")
        )
    }
}
