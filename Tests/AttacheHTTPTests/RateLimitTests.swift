import AttacheTestSupport
import AttacheCore
import Foundation
import Testing

/// Request limits per token (and per client address without one) on every face, in each face's own
/// 429 shape with `Retry-After` and `X-RateLimit-*`; repeated failed sign-ins lock the identifier out.
@Suite("Request limits", .timeLimit(.minutes(3)))
struct RateLimitTests {
    /// Three requests at once, then one every 100 seconds: the fourth is refused within any test.
    static func limits() -> RateLimiter { RateLimiter(perSecond: 0.01, burst: 3) }

    static func expectRefused(_ response: TestResponse, _ face: String) {
        #expect(response.status == 429, "\(face): \(response.status) \(response.text)")
        #expect(Int(response.header("Retry-After") ?? "") ?? 0 >= 1, "\(face)")
        #expect(response.header("X-RateLimit-Limit") == "3", "\(face)")
        #expect(response.header("X-RateLimit-Remaining") == "0", "\(face)")
    }

    @Test func theNativeAPICountsPerToken() async throws {
        try await TestServer.with(requestLimits: Self.limits()) { server in
            var remaining: [String?] = []
            for _ in 0..<3 {
                remaining.append(try await server.send(.GET, "/v1/records", token: server.readToken).header("X-RateLimit-Remaining"))
            }
            #expect(remaining == ["2", "1", "0"])
            let refused = try await server.send(.GET, "/v1/records", token: server.readToken)
            Self.expectRefused(refused, "native")
            #expect(try refused.jsonObject()["code"] as? String == "too_many_requests")
            #expect(try await server.send(.GET, "/v1/records", token: server.writeToken).status == 200, "another token has its own budget")
        }
    }

    @Test func vendorFacesAnswerInTheirOwnShape() async throws {
        try await TestServer.with(requestLimits: Self.limits()) { server in
            for _ in 0..<3 { _ = try await server.send(.GET, "/attachments", token: server.readToken) }
            let propertyDeck = try await server.send(.GET, "/attachments", token: server.readToken)
            Self.expectRefused(propertyDeck, "propertydeck")
            #expect(try propertyDeck.jsonObject()["message"] as? String == "Too Many Attempts.")
        }
        try await TestServer.with(requestLimits: Self.limits()) { server in
            let contact = try await server.record(type: "contact", token: server.writeToken)
            for _ in 0..<3 { _ = try await HighLevelClient.json(server, .get, "/contacts/\(contact.uuid)", token: server.readToken) }
            let highLevel = try await HighLevelClient.json(server, .get, "/contacts/\(contact.uuid)", token: server.readToken)
            Self.expectRefused(highLevel, "highlevel")
            #expect(try highLevel.jsonObject()["message"] as? String == "ThrottlerException: Too Many Requests")
        }
        try await TestServer.with(requestLimits: Self.limits()) { server in
            let token = try await BloxsClient.signIn(server)
            for _ in 0..<3 { _ = try await BloxsClient.upload(server, token: token, query: "externalIdentifier=none", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf())) }
            let bloxs = try await BloxsClient.upload(server, token: token, query: "externalIdentifier=none", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            Self.expectRefused(bloxs, "bloxs")
            #expect(bloxs.bytes.isEmpty, "ASP.NET's limiter answers an empty 429")
        }
        try await TestServer.with(requestLimits: Self.limits()) { server in
            let token = try await OnlyOfficeClient.signIn(server)
            let contact = try await server.record(type: "contact", token: server.writeToken)
            let path = "/api/2.0/crm/contact/\(contact.id)/files"
            for _ in 0..<3 { _ = try await server.sendRaw(.GET, path, headers: [("Authorization", token)], body: nil) }
            let onlyOffice = try await server.sendRaw(.GET, path, headers: [("Authorization", token)], body: nil)
            Self.expectRefused(onlyOffice, "onlyoffice")
            #expect(try onlyOffice.jsonObject()["statusCode"] as? Int == 429)
        }
    }

    /// Requests without a token count against the client's address: sign-ins and wrong tokens too.
    @Test func requestsWithoutATokenCountPerAddress() async throws {
        try await TestServer.with(requestLimits: Self.limits()) { server in
            for _ in 0..<3 {
                #expect(try await server.send(.GET, "/v1/records", token: "att_wrong").status == 401)
            }
            Self.expectRefused(try await server.send(.GET, "/v1/records", token: "att_wrong"), "wrong token")
            let signIn = try await server.sendJSON(.POST, "/Authorization", token: nil, json: #"{"apiKey":"k","apiSecret":"s"}"#)
            Self.expectRefused(signIn, "bloxs sign-in")
        }
    }

    /// A refused sign-in of a known user (audited in its tenant) and of an unknown one take the same
    /// time: both are held to the refusal time, which is longer than either's own work.
    @Test func refusalsTakeTheSameTimeForKnownAndUnknownIdentifiers() async throws {
        try await TestServer.with { server in
            _ = try await server.service.createCredential(tenantSlug: "acme", kind: .onlyoffice, identifier: "jan", scope: .write)
            func fastest(_ user: String) async throws -> Duration {
                var times: [Duration] = []
                for attempt in 0..<4 {
                    let origin = RequestOrigin(clientAddress: "192.0.2.\(attempt)")
                    let started = ContinuousClock.now
                    let answer = try await server.service.signIn(kind: .onlyoffice, identifier: user, secret: "wrong", origin: origin)
                    times.append(ContinuousClock.now - started)
                    #expect(answer == nil)
                }
                return try #require(times.min())
            }
            let known = try await fastest("jan")
            let unknown = try await fastest("nobody")
            // Both are held to the refusal time. (That it hides the work — an audit write of a millisecond
            // or two — is a timing fact, not asserted here: on a machine busy with the rest of the suite any
            // request may take longer than 100 ms.)
            #expect(known >= .milliseconds(100))
            #expect(unknown >= .milliseconds(100))
        }
    }

    @Test func repeatedFailedSignInsAreRefusedForAWhile() async throws {
        // A lock-out long enough that a busy machine cannot let it run out between the requests.
        try await TestServer.with(firstSignInLockout: .seconds(60)) { server in
            let (credential, secret) = try await server.service.createCredential(tenantSlug: "acme", kind: .bloxs, identifier: nil, scope: .write)
            let wrong = "{\"apiKey\":\"\(credential.identifier)\",\"apiSecret\":\"wrong\"}"
            for _ in 0..<5 {
                #expect(try await server.sendJSON(.POST, "/Authorization", token: nil, json: wrong).status == 400)
            }
            #expect(try await server.sendJSON(.POST, "/Authorization", token: nil, json: wrong).status == 400, "the sixth failure starts the lock-out")
            let right = try await server.sendJSON(.POST, "/Authorization", token: nil, json: "{\"apiKey\":\"\(credential.identifier)\",\"apiSecret\":\"\(secret)\"}")
            #expect(right.status == 429, "even the right secret waits out the lock-out")
            #expect(right.header("Retry-After") != nil)
            // The lock-out is the guessing address's: the real user signing in from elsewhere is not locked out.
            let elsewhere = try await server.service.signIn(
                kind: .bloxs, identifier: credential.identifier, secret: secret, origin: RequestOrigin(clientAddress: "192.0.2.7")
            )
            #expect(elsewhere != nil)
            await #expect(throws: AttacheError.self) {
                try await server.service.signIn(kind: .bloxs, identifier: credential.identifier, secret: secret, origin: RequestOrigin(clientAddress: "127.0.0.1"))
            }
        }
    }
}
