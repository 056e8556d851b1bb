import AttacheCore
import AttacheTestSupport
import Foundation
import Testing

/// `GET /v1/events`: the tenant's change feed over real HTTP (and, in the test command's second pass,
/// on PostgreSQL + S3): every change in commit order with the exact payload, read on from `next`,
/// filtered, held open by `wait` until an event arrives, each tenant's own, and what a reader whose
/// events were trimmed is told.
@Suite("Change feed", .timeLimit(.minutes(3)))
struct ChangeFeedTests {
    /// The feed's events after `after`, and its `next`.
    static func read(_ server: TestServer, _ query: String, token: String? = nil) async throws -> (items: [[String: Any]], next: Int) {
        let response = try await server.send(.GET, "/v1/events?" + query, token: token ?? server.readToken)
        guard response.status == 200 else { throw TestFailure("events: \(response.status) \(response.text)") }
        let body = try response.jsonObject()
        guard let items = body["items"] as? [[String: Any]], let next = body["next"] as? Int else { throw TestFailure("events: \(response.text)") }
        return (items, next)
    }

    @Test func everyChangeIsToldInOrder() async throws {
        try await TestServer.with { server in
            let start = try await Self.read(server, "limit=1000").next
            let record = try await server.record(type: "property", title: "Keizersgracht 12")
            let bytes = Samples.pdf(seed: 71)
            let attachment = try await ShareTests.attach(server, record: record.uuid, name: "lease.pdf", bytes: bytes)
            #expect(try await server.sendJSON(.PATCH, "/v1/attachments/\(attachment)", token: server.writeToken, json: #"{"description":"Signed"}"#).status == 200)
            #expect(try await server.send(.DELETE, "/v1/attachments/\(attachment)", token: server.writeToken).status == 204)
            _ = try await server.record(type: "person", token: server.otherToken)

            let feed = try await Self.read(server, "after=\(start)")
            let types = feed.items.compactMap { $0["type"] as? String }
            #expect(types == ["record.created", "file.stored", "attachment.created", "attachment.updated", "attachment.deleted", "file.deleted"], "\(types)")
            #expect(feed.items.compactMap { $0["id"] as? Int } == Array(start + 1...start + 6) && feed.next == start + 6)
            // The exact payload of a stored file: ids, name and size, no link.
            let stored = feed.items[1]
            #expect(Set(stored.keys) == ["id", "type", "timestamp", "data"])
            let timestamp = try #require(stored["timestamp"] as? String)
            #expect(ISO8601DateFormatter().date(from: timestamp) ?? ISO8601DateFormatter.fractional.date(from: timestamp) != nil, "\(stored)")
            let data = try #require(stored["data"] as? [String: Any])
            #expect(Set(data.keys) == ["actor", "record", "attachment", "file", "detail"])
            #expect((data["actor"] as? String)?.hasPrefix("token:") == true && data["record"] as? String == record.uuid && data["detail"] is NSNull)
            let file = try #require(data["file"] as? [String: Any])
            #expect(file["name"] as? String == "lease.pdf" && file["size"] as? Int == bytes.count && file["id"] is Int, "\(file)")
            #expect(!String(describing: feed.items).contains("signature="))
            let created = try #require(feed.items[2]["data"] as? [String: Any])
            #expect(created["attachment"] as? String == attachment && created["record"] as? String == record.uuid)

            // Filtered: the types asked for, and `next` past what was read even where it was not of them.
            let files = try await Self.read(server, "after=\(start)&types=file.stored,file.deleted")
            #expect(files.items.compactMap { $0["id"] as? Int } == [start + 2, start + 6] && files.next == start + 6)
            let firstTwo = try await Self.read(server, "after=\(start)&limit=2")
            #expect(firstTwo.items.count == 2 && firstTwo.next == start + 2)
            #expect(try await Self.read(server, "after=\(firstTwo.next)").items.count == 4)
            // Each tenant reads its own feed.
            let theirs = try await Self.read(server, "limit=1000", token: server.otherToken)
            #expect(!theirs.items.contains { ($0["data"] as? [String: Any])?["record"] as? String == record.uuid })
            #expect(theirs.items.last?["type"] as? String == "record.created")

            // What a read cannot ask.
            for (query, field) in [
                ("after=-1", "after"), ("after=x", "after"), ("after=\(feed.next + 1)", "after"), ("types=file.stored,file.eaten", "types"),
                ("types=", "types"), ("limit=0", "limit"), ("limit=1001", "limit"), ("wait=61", "wait"), ("wait=1.5", "wait"),
            ] {
                let refused = try await server.send(.GET, "/v1/events?\(query)", token: server.readToken)
                let errors = try refused.jsonObject()["errors"] as? [String: Any]
                #expect(refused.status == 400 && errors?[field] != nil, "\(query): \(refused.text)")
            }
            #expect(try await server.send(.GET, "/v1/events").status == 401)
        }
    }

    /// With `wait`, a read with nothing to give is held until an event arrives, then answers at once;
    /// without one it answers empty when the wait ends.
    @Test func aWaitingReadAnswersWhenAnEventArrives() async throws {
        try await TestServer.with { server in
            let start = try await Self.read(server, "limit=1000").next
            let clock = ContinuousClock()
            let began = clock.now
            let quiet = try await Self.read(server, "after=\(start)&wait=1")
            let waited = clock.now - began
            #expect(quiet.items.isEmpty && quiet.next == start && waited >= .milliseconds(900) && waited < .seconds(30), "\(waited)")

            // The longest wait there is, so that an answer at its end cannot pass for one at the event
            // (creating the record took 10.7 s once, on two cores busy with the whole suite).
            async let held = Self.read(server, "after=\(start)&wait=60")
            let asked = clock.now
            let record = try await server.record(type: "contact")
            let answer = try await held
            #expect(clock.now - asked < .seconds(45), "answered when the event arrived, not when the wait ended")
            #expect(answer.items.count == 1 && answer.next == start + 1)
            #expect((answer.items.first?["data"] as? [String: Any])?["record"] as? String == record.uuid)
        }
    }

    /// Events past the audit trail's retention are deleted by gc; a reader whose next event went with
    /// them is told so (410), and one past them reads on.
    @Test func aReaderOfTrimmedEventsIsToldWhereTheFeedBegins() async throws {
        try await TestServer.with { server in
            _ = try await server.record(type: "contact")
            _ = try await server.record(type: "contact")
            let newest = try await Self.read(server, "limit=1000").next
            let collector = AttacheService(
                metadata: server.service.metadata, blobs: server.service.blobs, policy: server.service.policy,
                logger: .init(label: "test"), auditRetention: 3600
            )
            #expect(try await collector.collectGarbage(grace: 3600, now: Date().addingTimeInterval(7200)).removedChangeEvents >= 2)
            let gone = try await server.send(.GET, "/v1/events?after=0", token: server.readToken)
            let problem = try gone.jsonObject()
            #expect(gone.status == 410 && problem["code"] as? String == "cursor_expired", "\(gone.text)")
            #expect((problem["detail"] as? String)?.contains("after=\(newest)") == true, "\(gone.text)")
            let onward = try await Self.read(server, "after=\(newest)")
            #expect(onward.items.isEmpty && onward.next == newest)
            _ = try await server.record(type: "contact")
            #expect(try await Self.read(server, "after=\(newest)").items.count == 1)
        }
    }
}
