import AttacheCore
import AttacheTestSupport
import Crypto
import Foundation
import Synchronization
import Testing

/// Webhooks over real HTTP both ways: endpoints made through the native API, deliveries sent by the
/// service's delivery loop to a real receiver on loopback, signed as Standard Webhooks says (PyPI's
/// `standardwebhooks` checks them in `scripts/webhook-test.py`), retried on the schedule under one
/// `webhook-id`, paced over two nodes, refused where the address policy says, and each tenant's own.
/// (On SQLite + disk; the test command's other passes run it on PostgreSQL + S3 and the in-memory store.)
@Suite("Webhooks", .timeLimit(.minutes(3)))
struct WebhookTests {
    /// Settings for tests: a compressed schedule, quick polls. An attempt may take 30 s: on a machine
    /// loaded by the rest of the suite, a 5 s limit cancelled a connection to the local receiver and
    /// made a retry test's last attempt fail (cold run 67); no test here relies on the limit.
    static func settings(
        _ holder: String = "node-a", waits: [Double] = [0.2, 0.2, 0.2], perSecond: Double = 50, inFlight: Int = 4
    ) -> WebhookSettings {
        WebhookSettings(
            schedule: WebhookRetrySchedule(waits: waits.map { .milliseconds(Int64($0 * 1000)) }, jitter: 0), attemptTimeout: .seconds(30),
            maximumInFlight: inFlight, perSecond: perSecond, pollInterval: .milliseconds(20), holder: holder
        )
    }

    /// Runs `body` while the server delivers webhooks with each of `settings` (one delivery loop per
    /// node), and stops the loops afterwards.
    static func delivering<Result: Sendable>(
        _ server: TestServer, _ settings: [WebhookSettings] = [settings()], _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        let loops = settings.map { settings in
            Task { await server.service.deliverWebhooksContinuously(settings, transport: server.webhookTransport) }
        }
        defer { loops.forEach { $0.cancel() } }
        return try await body()
    }

    static func createWebhook(_ server: TestServer, url: String, events: [String], token: String? = nil) async throws -> (id: String, secret: String) {
        let body = try JSONSerialization.data(withJSONObject: ["url": url, "events": events, "description": "CRM"])
        let response = try await server.sendJSON(.POST, "/v1/webhooks", token: token ?? server.adminToken, json: String(decoding: body, as: UTF8.self))
        guard response.status == 201 else { throw TestFailure("webhook: \(response.status) \(response.text)") }
        let object = try response.jsonObject()
        guard let id = object["id"] as? String, let secret = object["secret"] as? String else { throw TestFailure(response.text) }
        return (id, secret)
    }

    static func deliveries(_ server: TestServer, _ webhook: String) async throws -> [[String: Any]] {
        let response = try await server.send(.GET, "/v1/webhooks/\(webhook)/deliveries?limit=200", token: server.adminToken)
        guard response.status == 200 else { throw TestFailure("deliveries: \(response.status) \(response.text)") }
        return try response.jsonObject()["items"] as? [[String: Any]] ?? []
    }

    /// Whether a request's `webhook-signature` holds a `v1` signature of its id, timestamp and body by `secret`.
    static func isSigned(_ request: WebhookReceiver.Request, by secret: String) -> Bool {
        guard let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))), let timestamp = request.headers["webhook-timestamp"] else { return false }
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        mac.update(data: Array("\(request.messageID).\(timestamp).".utf8) + request.body)
        let expected = "v1," + Data(mac.finalize()).base64EncodedString()
        return (request.headers["webhook-signature"] ?? "").split(separator: " ").contains { $0 == expected }
    }

    @Test func aChangeIsDeliveredSignedAsTheFeedTellsIt() async throws {
        try await WebhookReceiver.with { receiver in
            try await TestServer.with { server in
                // Admins only; the secret is shown once.
                let refused = try await server.sendJSON(.POST, "/v1/webhooks", token: server.writeToken, json: #"{"url":"\#(receiver.url)","events":["record.created"]}"#)
                #expect(try refused.status == 403 && refused.jsonObject()["code"] as? String == "forbidden")
                let webhook = try await Self.createWebhook(server, url: receiver.url, events: ["record.created", "file.stored"])
                #expect(webhook.secret.hasPrefix("whsec_") && Data(base64Encoded: String(webhook.secret.dropFirst(6)))?.count == 32)
                let shown = try await server.send(.GET, "/v1/webhooks/\(webhook.id)", token: server.adminToken)
                #expect(try shown.status == 200 && shown.jsonObject()["secret"] == nil && !shown.text.contains(webhook.secret))
                #expect(try shown.jsonObject()["events"] as? [String] == ["file.stored", "record.created"])

                let before = try await ChangeFeedTests.read(server, "limit=1000").next
                try await Self.delivering(server) {
                    let record = try await server.record(type: "property", title: "Keizersgracht 12")
                    #expect(try await eventually { receiver.requests.count == 1 })
                    let request = try #require(receiver.requests.first)
                    #expect(Self.isSigned(request, by: webhook.secret), "\(request.headers)")
                    #expect(request.headers["content-type"] == "application/json" && request.messageID.hasPrefix("msg_"))
                    let timestamp = try #require(Int(request.headers["webhook-timestamp"] ?? ""))
                    #expect(abs(Double(timestamp) - Date().timeIntervalSince1970) < 30)
                    // The body is the feed's item for the event, member for member.
                    let feed = try await ChangeFeedTests.read(server, "after=\(before)")
                    let item = try #require(feed.items.first)
                    let delivered = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
                    #expect(NSDictionary(dictionary: delivered).isEqual(to: item), "\(delivered) \(item)")
                    #expect(delivered["type"] as? String == "record.created" && (delivered["data"] as? [String: Any])?["record"] as? String == record.uuid)
                    // Types it does not take are not sent: a record change.
                    #expect(try await server.sendJSON(.PATCH, "/v1/records/\(record.uuid)", token: server.writeToken, json: #"{"title":"Keizersgracht 14"}"#).status == 200)

                    // Shown as delivered, once.
                    #expect(try await eventually {
                        try await Self.deliveries(server, webhook.id).first?["state"] as? String == "delivered"
                    })
                    let listed = try await Self.deliveries(server, webhook.id)
                    #expect(listed.count == 1 && listed[0]["attempts"] as? Int == 1 && listed[0]["lastStatus"] as? Int == 204, "\(listed)")
                    #expect(listed[0]["messageId"] as? String == request.messageID && listed[0]["type"] as? String == "record.created")

                    // Redelivered: the same message again, under the same id.
                    let deliveryID = try #require(listed[0]["id"] as? String)
                    let again = try await server.send(.POST, "/v1/webhooks/\(webhook.id)/deliveries/\(deliveryID)/redeliver", token: server.adminToken)
                    #expect(again.status == 202, "\(again.text)")
                    #expect(try await eventually { receiver.requests.count == 2 })
                    #expect(receiver.requests[1].messageID == request.messageID && receiver.requests[1].body == request.body)

                    // A new secret: both sign for a day, and only the new one is shown, once.
                    let rotated = try await server.send(.POST, "/v1/webhooks/\(webhook.id)/secret", token: server.adminToken)
                    let newSecret = try #require(try rotated.jsonObject()["secret"] as? String)
                    #expect(rotated.status == 200 && newSecret != webhook.secret && rotated.header("Cache-Control") == "no-store")
                    _ = try await server.record(type: "person")
                    #expect(try await eventually { receiver.requests.count == 3 })
                    let signedTwice = receiver.requests[2]
                    #expect(Self.isSigned(signedTwice, by: newSecret) && Self.isSigned(signedTwice, by: webhook.secret))
                    #expect(signedTwice.headers["webhook-signature"]?.split(separator: " ").count == 2)
                }
                // Deleted: its deliveries go with it.
                #expect(try await server.send(.DELETE, "/v1/webhooks/\(webhook.id)", token: server.adminToken).status == 204)
                #expect(try await server.send(.GET, "/v1/webhooks/\(webhook.id)", token: server.adminToken).status == 404)
                let actions = try await server.service.auditEvents(tenantSlug: "acme", matching: AuditQuery(), page: PageRequest(limit: 100, newestFirst: true)).items.map(\.action)
                #expect(actions.contains(.webhookCreate) && actions.contains(.webhookUpdate) && actions.contains(.webhookDelete))
            }
        }
    }

    /// A receiver that fails three times and then takes the message gets exactly four attempts, all
    /// under one `webhook-id`; one that always fails gets the schedule's attempts and no more.
    @Test func failuresAreRetriedOnTheScheduleUnderOneID() async throws {
        try await WebhookReceiver.with(answer: { _, attempt in attempt <= 3 ? 500 : 200 }) { flaky in
            try await WebhookReceiver.with(answer: { _, _ in 503 }) { broken in
                try await TestServer.with { server in
                    let first = try await Self.createWebhook(server, url: flaky.url, events: ["record.created"])
                    let second = try await Self.createWebhook(server, url: broken.url, events: ["record.created"])
                    try await Self.delivering(server) {
                        _ = try await server.record(type: "property", title: "Keizersgracht 12")
                        #expect(try await eventually(within: .seconds(90)) {
                            let delivered = try await Self.deliveries(server, first.id).first?["state"] as? String == "delivered"
                            let failed = try await Self.deliveries(server, second.id).first?["state"] as? String == "failed"
                            return delivered && failed
                        })
                        // Waits of the schedule (0.2 s each) and nothing after the last.
                        try await Task.sleep(for: .milliseconds(600))
                    }
                    #expect(flaky.requests.count == 4 && Set(flaky.requests.map(\.messageID)).count == 1, "\(flaky.requests.map(\.messageID))")
                    #expect(flaky.requests.allSatisfy { Self.isSigned($0, by: first.secret) })
                    let gaps = zip(flaky.requests.dropFirst(), flaky.requests).map { $0.arrivedAt - $1.arrivedAt }
                    #expect(gaps.allSatisfy { $0 >= .milliseconds(180) }, "\(gaps)")
                    #expect(broken.requests.count == 4, "\(broken.requests.count)")
                    let failed = try #require(try await Self.deliveries(server, second.id).first)
                    #expect(failed["attempts"] as? Int == 4 && failed["lastStatus"] as? Int == 503 && failed["nextAttemptAt"] is NSNull, "\(failed)")
                    let delivered = try #require(try await Self.deliveries(server, first.id).first)
                    #expect(delivered["attempts"] as? Int == 4 && delivered["lastStatus"] as? Int == 200 && delivered["lastError"] is NSNull, "\(delivered)")
                }
            }
        }
    }

    /// `410 Gone` disables the endpoint: no more events are queued for it until it is enabled again.
    @Test func goneDisablesTheEndpoint() async throws {
        try await WebhookReceiver.with(answer: { _, _ in 410 }) { receiver in
            try await TestServer.with { server in
                let webhook = try await Self.createWebhook(server, url: receiver.url, events: ["record.created"])
                try await Self.delivering(server) {
                    _ = try await server.record(type: "property")
                    #expect(try await eventually {
                        try await server.send(.GET, "/v1/webhooks/\(webhook.id)", token: server.adminToken).jsonObject()["enabled"] as? Bool == false
                    })
                    let shown = try await server.send(.GET, "/v1/webhooks/\(webhook.id)", token: server.adminToken).jsonObject()
                    #expect(shown["disabledReason"] as? String == "the receiver answered 410 Gone", "\(shown)")
                    _ = try await server.record(type: "person")
                    #expect(try await Self.deliveries(server, webhook.id).count == 1)
                    #expect(receiver.requests.count == 1)
                    let enabled = try await server.sendJSON(.PATCH, "/v1/webhooks/\(webhook.id)", token: server.adminToken, json: #"{"enabled":true}"#)
                    #expect(try enabled.status == 200 && enabled.jsonObject()["enabled"] as? Bool == true && enabled.jsonObject()["disabledReason"] is NSNull)
                    _ = try await server.record(type: "contact")
                    #expect(try await eventually { receiver.requests.count == 2 })
                }
                let audit = try await server.service.auditEvents(tenantSlug: "acme", matching: AuditQuery(), page: PageRequest(limit: 100, newestFirst: true)).items
                #expect(audit.contains { $0.action == .webhookUpdate && $0.actor == .system && $0.detail?.hasSuffix("disabled, the receiver answered 410 Gone") == true })
            }
        }
    }

    /// Addresses outside the policy are refused when an endpoint is saved, and again when a delivery
    /// connects (an endpoint saved while the policy allowed it, or a name that now resolves elsewhere).
    @Test func addressesOutsideThePolicyAreRefusedAtSaveAndAtConnect() async throws {
        try await WebhookReceiver.with { receiver in
            try await TestServer.with(webhookPolicy: WebhookAddressPolicy()) { server in
                let refused = [
                    receiver.url, "http://localhost:\(receiver.port)/hook", "http://[::1]/hook", "http://10.1.2.3/", "http://192.168.0.10/",
                    "http://172.20.0.1/", "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/", "http://[fd00::1]/",
                    "http://[::ffff:127.0.0.1]/", "http://[::ffff:8.8.8.8]/", "http://0.0.0.0/", "http://100.64.0.1/",
                ]
                for url in refused {
                    let answer = try await server.sendJSON(.POST, "/v1/webhooks", token: server.adminToken, json: #"{"url":"\#(url)","events":["record.created"]}"#)
                    #expect(try answer.status == 400 && (answer.jsonObject()["errors"] as? [String: Any])?.keys.sorted() == ["url"], "\(url): \(answer.status) \(answer.text)")
                }
                for url in ["ftp://example.com/", "http://user:secret@example.com/", "/hook", "http://example.com/#part", "https://"] {
                    let answer = try await server.sendJSON(.POST, "/v1/webhooks", token: server.adminToken, json: #"{"url":"\#(url)","events":["record.created"]}"#)
                    #expect(answer.status == 400, "\(url): \(answer.status) \(answer.text)")
                }
                for events in [#"[]"#, #"["record.made"]"#] {
                    let answer = try await server.sendJSON(.POST, "/v1/webhooks", token: server.adminToken, json: #"{"url":"http://203.0.113.9/","events":\#(events)}"#)
                    #expect(try answer.status == 400 && (answer.jsonObject()["errors"] as? [String: Any])?.keys.sorted() == ["events"], "\(events): \(answer.text)")
                }
                // Saved while allowed (straight into the store): the connection is refused all the same.
                let endpoint = WebhookEndpoint(
                    id: UUID(), tenantID: server.tenant.id, url: receiver.url, eventTypes: [.recordCreated], description: nil, createdAt: Date(), updatedAt: Date()
                )
                try await server.service.metadata.createWebhookEndpoint(endpoint, secret: .generate(), audit: AuditContext(actor: .cli))
                try await Self.delivering(server, [Self.settings(waits: [])]) {
                    _ = try await server.record(type: "property")
                    #expect(try await eventually {
                        try await Self.deliveries(server, endpoint.id.lowercasedText).first?["state"] as? String == "failed"
                    })
                }
                let failed = try #require(try await Self.deliveries(server, endpoint.id.lowercasedText).first)
                #expect((failed["lastError"] as? String)?.contains("a loopback address") == true && failed["lastStatus"] is NSNull, "\(failed)")
                #expect(receiver.requests.isEmpty)
            }
        }
    }

    /// Two nodes deliver 60 events to one endpoint at 20 a second with at most 2 in flight: every
    /// event arrives once, no second holds more than the pace allows, and never more than 2 are open.
    @Test func thePaceHoldsOverTwoNodes() async throws {
        try await WebhookReceiver.with(delay: .milliseconds(80)) { receiver in
            try await TestServer.with { server in
                let webhook = try await Self.createWebhook(server, url: receiver.url, events: ["record.created"])
                for index in 0..<60 {
                    _ = try await server.record(type: "contact", title: "Contact \(index)")
                }
                let nodes = [Self.settings("node-a", perSecond: 20, inFlight: 2), Self.settings("node-b", perSecond: 20, inFlight: 2)]
                let started = ContinuousClock.now
                try await Self.delivering(server, nodes) {
                    #expect(try await eventually(within: .seconds(30)) { receiver.requests.count >= 60 })
                    try await Task.sleep(for: .milliseconds(200))
                }
                let took = ContinuousClock.now - started
                #expect(receiver.requests.count == 60 && Set(receiver.requests.map(\.messageID)).count == 60)
                // Attempts are given start times 50 ms apart; one whose claim took longer than its start
                // time leaves later, closer to the next (on PostgreSQL a claim takes about 12 ms). So any
                // second holds the 20 the pace allows, and at most one more that was late.
                let arrivals = receiver.requests.map(\.arrivedAt).sorted()
                let busiest = arrivals.map { start in arrivals.filter { $0 >= start && $0 < start + .seconds(1) }.count }.max() ?? 0
                #expect(busiest <= 21, "\(busiest) attempts in one second")
                #expect(receiver.mostAtOnce <= 2 && took >= .milliseconds(2900), "\(receiver.mostAtOnce) at once, \(took)")
                let states = try await Self.deliveries(server, webhook.id).compactMap { $0["state"] as? String }
                #expect(states.count == 60 && states.allSatisfy { $0 == "delivered" })
            }
        }
    }

    /// Each tenant's events reach its own endpoints only; another tenant's endpoints are not found.
    @Test func eventsOfOneTenantNeverReachAnothersEndpoint() async throws {
        try await WebhookReceiver.with { ours in
            try await WebhookReceiver.with { theirs in
                try await TestServer.with { server in
                    let theirAdmin = try await server.service.createToken(tenantSlug: "globex", scope: .admin, label: nil).secret
                    let mine = try await Self.createWebhook(server, url: ours.url, events: ChangeEventType.allCases.map(\.rawValue))
                    let other = try await Self.createWebhook(server, url: theirs.url, events: ChangeEventType.allCases.map(\.rawValue), token: theirAdmin)
                    #expect(try await server.send(.GET, "/v1/webhooks/\(other.id)", token: server.adminToken).status == 404)
                    #expect(try await server.send(.GET, "/v1/webhooks/\(mine.id)/deliveries", token: theirAdmin).status == 404)
                    #expect(try await server.send(.DELETE, "/v1/webhooks/\(mine.id)", token: theirAdmin).status == 404)
                    let listed = try await server.send(.GET, "/v1/webhooks", token: theirAdmin).jsonObject()["items"] as? [[String: Any]]
                    #expect(listed?.compactMap { $0["id"] as? String } == [other.id])
                    try await Self.delivering(server) {
                        let record = try await server.record(type: "property")
                        let theirRecord = try await server.record(type: "person", token: server.otherToken)
                        #expect(try await eventually { ours.requests.count == 1 && theirs.requests.count == 1 })
                        let our = try JSONSerialization.jsonObject(with: Data(ours.requests[0].body)) as? [String: Any]
                        let their = try JSONSerialization.jsonObject(with: Data(theirs.requests[0].body)) as? [String: Any]
                        #expect((our?["data"] as? [String: Any])?["record"] as? String == record.uuid)
                        #expect((their?["data"] as? [String: Any])?["record"] as? String == theirRecord.uuid)
                        #expect(Self.isSigned(ours.requests[0], by: mine.secret) && !Self.isSigned(ours.requests[0], by: other.secret))
                    }
                }
            }
        }
    }
}
