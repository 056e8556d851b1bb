import AttacheCore
import AttacheTestSupport
import Foundation
import Testing

/// Share links in the service (the public pages and the API that will expose them are still to come):
/// tokens, passwords and their throttle, download limits under races, revocation and expiry.
@Suite("Share links (service)", .timeLimit(.minutes(3)))
struct ShareServiceTests {
    static func principal(_ server: TestServer) -> Principal {
        Principal(tenant: server.tenant, scope: .write, tokenID: 1)
    }

    static func origin(_ address: String) -> RequestOrigin {
        RequestOrigin(clientAddress: address, requestID: nil)
    }

    @Test func aShareIsOpenedByItsTokenAloneAndShowsItsRecordsFilesNow() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact", title: "Jansen")
            let first = try await server.upload("/v1/records/\(record.uuid)/attachments", token: server.writeToken, form: .file(fileName: "lease.pdf", bytes: Samples.pdf()))
            #expect(first.status == 201)
            let service = server.service
            let recordUUID = try #require(UUID(uuidString: record.uuid))
            let issued = try await service.createShare(Self.principal(server), for: .record(recordUUID), options: ShareOptions(label: "  for the tenant "))
            #expect(issued.token.hasPrefix("shr_") && issued.token.utf8.count == 36, "shr_ and 192 bits in base64url")
            #expect(issued.share.label == "for the tenant" && issued.share.recordUUID == recordUUID)
            let access = try await service.openShare(token: issued.token, origin: Self.origin("192.0.2.1"))
            #expect(access.principal.actor == .share(issued.share.id) && access.principal.scope == .read)
            #expect(try await service.sharedItems(access).files.map(\.file.name) == ["lease.pdf"])
            // A file added later shows at the next request.
            _ = try await server.upload("/v1/records/\(record.uuid)/attachments", token: server.writeToken, form: .file(fileName: "keys.pdf", bytes: Samples.pdf(seed: 3)))
            #expect(try await service.sharedItems(access).files.map(\.file.name) == ["lease.pdf", "keys.pdf"])
            // Tampered, truncated, overlong and foreign tokens are one 404.
            for token in [issued.token + "x", String(issued.token.dropLast()), "shr_" + String(repeating: "A", count: 5000), server.writeToken, ""] {
                await #expect(throws: AttacheError.self) { try await service.openShare(token: token, origin: Self.origin("192.0.2.1")) }
            }
            // Revoked: 404 from the next request; another tenant cannot see or revoke it.
            let other = Principal(tenant: server.otherTenant, scope: .write, tokenID: 9)
            await #expect(throws: AttacheError.self) { try await service.revokeShare(other, id: issued.share.id) }
            #expect(try await service.shares(other).items.isEmpty)
            #expect(try await service.shares(Self.principal(server), record: recordUUID).items.map(\.id) == [issued.share.id])
            _ = try await service.revokeShare(Self.principal(server), id: issued.share.id)
            await #expect(throws: AttacheError.self) { try await service.openShare(token: issued.token, origin: Self.origin("192.0.2.1")) }
            // Options are checked.
            await #expect(throws: AttacheError.self) {
                try await service.createShare(Self.principal(server), for: .record(recordUUID), options: ShareOptions(expiresAt: Date().addingTimeInterval(-1)))
            }
            await #expect(throws: AttacheError.self) {
                try await service.createShare(Self.principal(server), for: .record(recordUUID), options: ShareOptions(maxDownloads: 0))
            }
            await #expect(throws: AttacheError.self) {
                try await service.createShare(Self.principal(server), for: .record(recordUUID), options: ShareOptions(label: String(repeating: "l", count: 10_000)))
            }
            await #expect(throws: AttacheError.self) {
                try await service.createShare(Self.principal(server), for: .record(recordUUID), options: ShareOptions(password: String(repeating: "p", count: 2000)))
            }
            await #expect(throws: AttacheError.self) { try await service.createShare(Self.principal(server), for: .attachment(UUID()), options: ShareOptions()) }
        }
    }

    /// Ten wrong passwords from one address lock it out of the share without hashing; the right
    /// password from another address still works.
    @Test func wrongPasswordsAreThrottledPerShareAndAddress() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact")
            let service = server.service
            let issued = try await service.createShare(
                Self.principal(server), for: .record(try #require(UUID(uuidString: record.uuid))), options: ShareOptions(password: "correct horse")
            )
            #expect(issued.share.hasPassword)
            let attacker = try await service.openShare(token: issued.token, origin: Self.origin("198.51.100.7"))
            for _ in 0..<10 {
                await #expect(throws: AttacheError.self) { try await service.unlockShare(attacker, password: "guess") }
            }
            let start = ContinuousClock.now
            var refusals = 0
            for _ in 0..<990 {
                do {
                    try await service.unlockShare(attacker, password: "guess")
                } catch let error as AttacheError where error.code == .tooManyRequests {
                    #expect((error.rateLimit?.retryAfter ?? 0) > 0)
                    refusals += 1
                }
            }
            #expect(refusals == 990)
            // Each refusal is one read of the store; hashing 990 passwords would take minutes.
            #expect(ContinuousClock.now - start < .seconds(10), "refusals while locked out are not hashed")
            // Even the right password waits out the lockout from that address; another address gets in.
            await #expect(throws: AttacheError.self) { try await service.unlockShare(attacker, password: "correct horse") }
            let tenant = try await service.openShare(token: issued.token, origin: Self.origin("203.0.113.9"))
            try await service.unlockShare(tenant, password: "correct horse")
            let trail = try await service.auditEvents(Principal(tenant: server.tenant, scope: .admin, tokenID: 1), matching: AuditQuery(action: .shareRefuse), page: PageRequest())
            #expect(trail.items.count == 10, "ten hashed refusals, each in the trail")
        }
    }

    /// Twenty racing downloads of a share limited to three: three are counted, the rest refused 410.
    @Test func theDownloadLimitHoldsUnderTwentyRacingRequests() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact")
            let service = server.service
            let issued = try await service.createShare(
                Self.principal(server), for: .record(try #require(UUID(uuidString: record.uuid))), options: ShareOptions(maxDownloads: 3)
            )
            let access = try await service.openShare(token: issued.token, origin: Self.origin("192.0.2.1"))
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await service.countSharedDownload(access)
                            return "counted"
                        } catch let error as AttacheError {
                            return error.code.name
                        }
                    }
                }
                return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(outcomes == ["counted": 3, "link_exhausted": 17])
            #expect(try await service.share(Self.principal(server), id: issued.share.id).downloads == 3)
        }
    }
}
