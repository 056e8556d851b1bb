package import AttacheCore
package import Foundation

/// ``WebhookStore``.
extension InMemoryMetadataStore {
    package func createWebhookEndpoint(_ endpoint: WebhookEndpoint, secret: WebhookSecret, audit: AuditContext) throws {
        try transaction { tables in
            var stored = endpoint
            stored.createdAt = endpoint.createdAt.roundedToMilliseconds
            stored.updatedAt = stored.createdAt
            tables.webhookEndpoints[endpoint.id] = InMemoryTables.WebhookEndpointRow(endpoint: stored, secret: secret)
            try tables.writeAuditEvents([audit.event(.webhookCreate, tenantID: endpoint.tenantID, detail: stored.auditName)])
        }
    }

    package func webhookEndpoints(tenantID: Int64, page: NewestFirstPageRequest) -> Page<WebhookEndpoint> {
        let listed = Self.newestFirst(tables.webhookEndpoints.values.map(\.endpoint).filter { $0.tenantID == tenantID }, page: page) {
            .init(time: $0.createdAt, id: $0.id)
        }
        return page.page(listed) { .init(time: $0.createdAt, id: $0.id) }
    }

    package func webhookEndpoint(tenantID: Int64, id: UUID) -> WebhookEndpoint? {
        tables.webhookEndpoints[id].flatMap { $0.endpoint.tenantID == tenantID ? $0.endpoint : nil }
    }

    package func updateWebhookEndpoint(tenantID: Int64, id: UUID, change: WebhookEndpointChange, audit: AuditContext) throws -> WebhookEndpoint? {
        try transaction { tables in
            guard var row = tables.webhookEndpoints[id], row.endpoint.tenantID == tenantID else { return nil }
            row.endpoint.updatedAt = audit.time.roundedToMilliseconds
            if let url = change.url { row.endpoint.url = url }
            if let types = change.eventTypes { row.endpoint.eventTypes = types }
            if let description = change.description { row.endpoint.description = description }
            switch change.enabled {
            case true? where !row.endpoint.isEnabled: (row.endpoint.disabledAt, row.endpoint.disabledReason) = (nil, nil)
            case false? where row.endpoint.isEnabled:
                (row.endpoint.disabledAt, row.endpoint.disabledReason) = (audit.time.roundedToMilliseconds, "disabled by \(audit.actor.text)")
            default: break
            }
            tables.webhookEndpoints[id] = row
            try tables.writeAuditEvents([audit.event(.webhookUpdate, tenantID: tenantID, detail: row.endpoint.auditName)])
            return row.endpoint
        }
    }

    package func rotateWebhookSecret(tenantID: Int64, id: UUID, secret: WebhookSecret, previousExpiresAt: Date, audit: AuditContext) throws -> WebhookEndpoint? {
        try transaction { tables in
            guard var row = tables.webhookEndpoints[id], row.endpoint.tenantID == tenantID else { return nil }
            row.previousSecret = row.secret
            row.secret = secret
            row.endpoint.previousSecretExpiresAt = previousExpiresAt.roundedToMilliseconds
            row.endpoint.updatedAt = audit.time.roundedToMilliseconds
            tables.webhookEndpoints[id] = row
            try tables.writeAuditEvents([audit.event(.webhookUpdate, tenantID: tenantID, detail: row.endpoint.auditName + ": secret rotated")])
            return row.endpoint
        }
    }

    package func deleteWebhookEndpoint(tenantID: Int64, id: UUID, audit: AuditContext) throws -> Bool {
        try transaction { tables in
            guard let row = tables.webhookEndpoints[id], row.endpoint.tenantID == tenantID else { return false }
            tables.webhookEndpoints[id] = nil
            tables.webhookDeliveries = tables.webhookDeliveries.filter { $0.value.delivery.endpointID != id }
            try tables.writeAuditEvents([audit.event(.webhookDelete, tenantID: tenantID, detail: row.endpoint.auditName)])
            return true
        }
    }

    package func webhookDeliveries(tenantID: Int64, endpointID: UUID, page: NewestFirstPageRequest) -> Page<WebhookDelivery> {
        let mine = tables.webhookDeliveries.values.map(\.delivery).filter { $0.tenantID == tenantID && $0.endpointID == endpointID }
        return page.page(Self.newestFirst(mine, page: page) { .init(time: $0.createdAt, id: $0.id) }) { .init(time: $0.createdAt, id: $0.id) }
    }

    package func redeliverWebhook(tenantID: Int64, endpointID: UUID, deliveryID: UUID, now: Date) -> WebhookDelivery? {
        guard var row = tables.webhookDeliveries[deliveryID], row.delivery.tenantID == tenantID, row.delivery.endpointID == endpointID else { return nil }
        if row.delivery.state == .pending, let leaseEnd = row.leaseEnd, leaseEnd >= now { return row.delivery }
        row.delivery.state = .pending
        row.delivery.attempts = 0
        row.delivery.nextAttemptAt = now.roundedToMilliseconds
        row.delivery.deliveredAt = nil
        (row.holder, row.leaseEnd) = (nil, nil)
        tables.webhookDeliveries[deliveryID] = row
        return row.delivery
    }

    package func claimWebhookDeliveries(holder: String, now: Date, limit: Int, pace: WebhookPace, lease: Duration) -> [ClaimedWebhookDelivery] {
        func isDue(_ row: InMemoryTables.WebhookDeliveryRow) -> Bool {
            row.delivery.state == .pending && (row.delivery.nextAttemptAt ?? .distantFuture) <= now && (row.leaseEnd.map { $0 < now } ?? true)
        }
        var claimed: [ClaimedWebhookDelivery] = []
        let waiting = Set(tables.webhookDeliveries.values.filter(isDue).map(\.delivery.endpointID))
        for endpointID in waiting where claimed.count < limit {
            guard var endpoint = tables.webhookEndpoints[endpointID], endpoint.endpoint.isEnabled else { continue }
            let inFlight = tables.webhookDeliveries.values.filter {
                $0.delivery.endpointID == endpointID && $0.delivery.state == .pending && ($0.leaseEnd.map { $0 >= now } ?? false)
            }.count
            var nextStart = max(endpoint.nextStartAt, now)
            var starts: [Date] = []
            while starts.count < min(pace.maximumInFlight - inFlight, limit - claimed.count), nextStart <= now.addingTimeInterval(1) {
                starts.append(nextStart)
                nextStart = nextStart.addingTimeInterval(pace.interval.timeInterval)
            }
            let due = tables.webhookDeliveries.values.filter { $0.delivery.endpointID == endpointID && isDue($0) }
                .sorted { $0.delivery.eventNumber < $1.delivery.eventNumber }
            var secrets = [endpoint.secret]
            if let previous = endpoint.previousSecret, (endpoint.endpoint.previousSecretExpiresAt ?? .distantPast) > now { secrets.append(previous) }
            for (row, start) in zip(due, starts) {
                var taken = row
                taken.holder = holder
                taken.leaseEnd = start.addingTimeInterval(lease.timeInterval)
                taken.delivery.attempts += 1
                taken.delivery.lastAttemptAt = start.roundedToMilliseconds
                tables.webhookDeliveries[row.delivery.id] = taken
                claimed.append(ClaimedWebhookDelivery(
                    id: row.delivery.id, endpointID: endpointID, tenantID: row.delivery.tenantID, url: endpoint.endpoint.url, secrets: secrets,
                    body: row.body, attempt: taken.delivery.attempts, startAt: start
                ))
                endpoint.nextStartAt = start.addingTimeInterval(pace.interval.timeInterval)
            }
            tables.webhookEndpoints[endpointID] = endpoint
        }
        return claimed
    }

    package func finishWebhookDelivery(_ id: UUID, holder: String, outcome: WebhookAttemptOutcome, now: Date) throws -> Bool {
        try transaction { tables in
            guard var row = tables.webhookDeliveries[id], row.holder == holder, row.delivery.state == .pending else { return false }
            (row.holder, row.leaseEnd) = (nil, nil)
            let at = now.roundedToMilliseconds
            switch outcome {
            case .delivered(let status):
                (row.delivery.state, row.delivery.deliveredAt, row.delivery.lastStatus, row.delivery.lastError) = (.delivered, at, status, nil)
                row.delivery.nextAttemptAt = nil
            case .retry(let next, let status, let reason):
                (row.delivery.nextAttemptAt, row.delivery.lastStatus, row.delivery.lastError) = (next.roundedToMilliseconds, status, reason)
            case .failed(let status, let reason):
                (row.delivery.state, row.delivery.nextAttemptAt, row.delivery.lastStatus, row.delivery.lastError) = (.failed, nil, status, reason)
            case .gone:
                let reason = WebhookAttemptOutcome.goneReason
                (row.delivery.state, row.delivery.nextAttemptAt, row.delivery.lastStatus, row.delivery.lastError) = (.failed, nil, 410, reason)
                if var endpoint = tables.webhookEndpoints[row.delivery.endpointID], endpoint.endpoint.isEnabled {
                    (endpoint.endpoint.disabledAt, endpoint.endpoint.disabledReason, endpoint.endpoint.updatedAt) = (at, reason, at)
                    tables.webhookEndpoints[row.delivery.endpointID] = endpoint
                    try tables.writeAuditEvents([
                        AuditContext(actor: .system, time: now).event(
                            .webhookUpdate, tenantID: row.delivery.tenantID, detail: endpoint.endpoint.auditName + ": disabled, " + reason
                        )
                    ])
                }
            }
            tables.webhookDeliveries[id] = row
            return true
        }
    }

    package func deleteWebhookDeliveries(before cutoff: Date, limit: Int) -> Int {
        let ended = tables.webhookDeliveries.values.filter { $0.delivery.state != .pending && $0.delivery.createdAt < cutoff }
            .sorted { $0.delivery.createdAt < $1.delivery.createdAt }.prefix(limit)
        for row in ended { tables.webhookDeliveries[row.delivery.id] = nil }
        return ended.count
    }

    /// Rows after the page's cursor, newest first (ties by id), one more than the page.
    static func newestFirst<Row>(_ rows: [Row], page: NewestFirstPageRequest, position: (Row) -> NewestFirstPageRequest.Position) -> [Row] {
        let after = rows.filter { row in
            page.after.map { after in
                let at = position(row)
                return at.time < after.time || (at.time == after.time && at.id.lowercasedText > after.id.lowercasedText)
            } ?? true
        }
        let sorted = after.sorted { first, second in
            let (one, other) = (position(first), position(second))
            return (other.time, one.id.lowercasedText) < (one.time, other.id.lowercasedText)
        }
        return Array(sorted.prefix(page.limit + 1))
    }

}
