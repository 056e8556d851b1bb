import AttacheCore
import AttacheTestSupport
import Foundation
import Testing

/// Retention by category over real HTTP, with a compressed clock (`gc` and the preview take `now`; on
/// SQLite + disk, and in the test command's other passes on PostgreSQL + S3 and the in-memory store):
/// what a rule deletes, what a legal hold keeps, the preview matching the run, nothing deleted twice.
@Suite("Retention by category", .timeLimit(.minutes(3)))
struct RetentionTests {
    @Test func rulesDeleteWhatTheyNoLongerKeepAndHoldsKeepIt() async throws {
        try await TestServer.with { server in
            for category in [#"{"name":"payslip","retention":{"days":30,"from":"upload"}}"#, #"{"name":"id-document","retention":{"days":10,"from":"expiresOn"}}"#,
                             #"{"name":"lease"}"#] {
                #expect(try await server.sendJSON(.POST, "/v1/categories", token: server.adminToken, json: category).status == 201)
            }
            let applicant = try await server.record(type: "person", title: "Applicant")
            let tenantRecord = try await server.record(type: "person", title: "Tenant")
            func attach(_ record: String, _ name: String, _ seed: UInt8, _ patch: String) async throws -> String {
                let uuid = try await ShareTests.attach(server, record: record, name: name, bytes: Samples.pdf(seed: seed))
                let changed = try await server.sendJSON(.PATCH, "/v1/attachments/\(uuid)", token: server.writeToken, json: patch)
                guard changed.status == 200 else { throw TestFailure("\(name): \(changed.status) \(changed.text)") }
                return uuid
            }
            let yesterday = TimestampText.day(Date().addingTimeInterval(-86_400))
            let payslip = try await attach(applicant.uuid, "payslip.pdf", 91, #"{"category":"payslip"}"#)
            let passport = try await attach(applicant.uuid, "passport.pdf", 92, #"{"category":"id-document","expiresOn":"\#(yesterday)"}"#)
            let undated = try await attach(applicant.uuid, "id-card.pdf", 93, #"{"category":"id-document"}"#)
            let held = try await attach(applicant.uuid, "payslip-disputed.pdf", 94, #"{"category":"payslip","legalHold":true}"#)
            let inHeldRecord = try await attach(tenantRecord.uuid, "payslip-tenant.pdf", 95, #"{"category":"payslip"}"#)
            let lease = try await attach(tenantRecord.uuid, "lease.pdf", 96, #"{"category":"lease"}"#)
            let hold = try await server.sendJSON(.PATCH, "/v1/records/\(tenantRecord.uuid)", token: server.writeToken, json: #"{"legalHold":true}"#)
            #expect(try hold.status == 200 && hold.jsonObject()["legalHold"] as? Bool == true)
            let shown = try await server.send(.GET, "/v1/attachments/\(passport)", token: server.readToken).jsonObject()
            #expect(shown["expiresOn"] as? String == yesterday && shown["legalHold"] as? Bool == false, "\(shown)")
            #expect(try await server.sendJSON(.PATCH, "/v1/attachments/\(undated)", token: server.writeToken, json: #"{"expiresOn":"2026-02-30"}"#).status == 400)

            // Each attachment says when retention deletes it (the web page shows it): the rule's date,
            // or null when no rule will (no rule, no date to count from, a hold on it or its record).
            let listed = try await server.send(.GET, "/v1/records/\(applicant.uuid)/attachments", token: server.readToken).jsonObject()["items"] as? [[String: Any]] ?? []
            let deletesAt = Dictionary(uniqueKeysWithValues: listed.compactMap { item in (item["uuid"] as? String).map { ($0, item["deletesAt"]) } })
            let payslipCreated = try #require(ISO8601DateFormatter().date(from: listed.first { $0["uuid"] as? String == payslip }?["createdAt"] as? String ?? ""))
            let due = { (uuid: String) in (deletesAt[uuid] as? String).flatMap(ISO8601DateFormatter().date(from:)) }
            #expect(due(payslip) == payslipCreated.addingTimeInterval(30 * 86_400), "\(listed)")
            #expect(due(passport).map(TimestampText.day) == TimestampText.day(Date().addingTimeInterval(9 * 86_400)), "\(listed)")
            #expect([undated, held].allSatisfy { deletesAt[$0] is NSNull }, "\(listed)")
            for kept in [inHeldRecord, lease] {
                let one = try await server.send(.GET, "/v1/attachments/\(kept)", token: server.readToken).jsonObject()
                #expect(one["deletesAt"] is NSNull, "\(one)")
            }
            let found = try await server.send(.GET, "/v1/search?q=applicant&category=payslip", token: server.readToken).jsonObject()["items"] as? [[String: Any]] ?? []
            #expect(found.compactMap { ($0["attachment"] as? [String: Any])?["deletesAt"] as? String } == [deletesAt[payslip] as? String ?? "?"], "\(found)")

            // Now: nothing is due (the passport expired yesterday, its rule keeps it ten days more).
            #expect(try await server.service.retentionPreview(tenantSlug: "acme").isEmpty)
            #expect(try await server.service.collectGarbage(grace: 3600).removedByRetention == 0)

            // Thirty-one days on: the payslip and the passport are due; the held payslip, the one in the
            // held record, the undated card and the lease (no rule) are not. The preview says so, and the run does it.
            let later = Date().addingTimeInterval(31 * 86_400)
            let preview = try await server.service.retentionPreview(tenantSlug: "acme", now: later)
            #expect(Set(preview.map(\.attachmentUUID.lowercasedText)) == [payslip, passport], "\(preview.map(\.fileName))")
            #expect(
                preview.allSatisfy { due($0.attachmentUUID.lowercasedText)?.timeIntervalSince1970 == $0.dueAt.timeIntervalSince1970.rounded(.down) },
                "the page's dates are the run's (to the second the API writes)"
            )
            let report = try await server.service.collectGarbage(grace: 3600, now: later)
            #expect(report.removedByRetention == 2)
            for gone in [payslip, passport] {
                #expect(try await server.send(.GET, "/v1/attachments/\(gone)", token: server.readToken).status == 404)
            }
            for kept in [undated, held, inHeldRecord, lease] {
                #expect(try await server.send(.GET, "/v1/attachments/\(kept)", token: server.readToken).status == 200)
            }
            let audit = try await server.service.auditEvents(tenantSlug: "acme", matching: AuditQuery(action: .attachmentDelete), page: PageRequest(limit: 10))
            #expect(audit.items.count == 2 && audit.items.allSatisfy { $0.actor == .system && $0.detail?.hasPrefix("retention: category ") == true })
            #expect(audit.items.contains { $0.detail == "retention: category id-document, 10 day(s) after expiresOn" })
            // Run again: nothing more, nothing twice.
            #expect(try await server.service.collectGarbage(grace: 3600, now: later).removedByRetention == 0)

            // Holds lifted: the next run deletes what they kept.
            #expect(try await server.sendJSON(.PATCH, "/v1/attachments/\(held)", token: server.writeToken, json: #"{"legalHold":false}"#).status == 200)
            #expect(try await server.sendJSON(.PATCH, "/v1/records/\(tenantRecord.uuid)", token: server.writeToken, json: #"{"legalHold":false}"#).status == 200)
            #expect(try await server.service.collectGarbage(grace: 3600, now: later).removedByRetention == 2)
            #expect(try await server.send(.GET, "/v1/attachments/\(lease)", token: server.readToken).status == 200)
        }
    }
}

/// Days as the API writes them.
enum TimestampText {
    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
