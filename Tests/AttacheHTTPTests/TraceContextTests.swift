import AttacheTestSupport
import Foundation
import Testing

/// W3C Trace Context: a request joins the caller's trace, errors name it as their `traceId`, and the
/// server's span comes back in `traceresponse`; without (or with a malformed) `traceparent` a new
/// trace starts.
@Suite("Trace context", .timeLimit(.minutes(3)))
struct TraceContextTests {
    static let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func aRequestJoinsTheCallersTrace() async throws {
        try await TestServer.with { server in
            let missing = try await server.send(
                .GET, "/v1/records/\(UUID().uuidString.lowercased())", token: server.readToken,
                headers: [("traceparent", Self.parent), ("tracestate", "congo=t61rcWkgMzE")]
            )
            #expect(missing.status == 404)
            #expect(try missing.jsonObject()["traceId"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
            let response = try #require(missing.header("traceresponse"))
            #expect(response.hasPrefix("00-4bf92f3577b34da6a3ce929d0e0e4736-") && response.hasSuffix("-01"))
            let span = response.split(separator: "-")[2]
            #expect(span.count == 16 && span != "00f067aa0ba902b7", "the server's own span")
            #expect(missing.header("X-Request-Id") != nil)
        }
    }

    @Test func withoutAValidTraceparentANewTraceStarts() async throws {
        try await TestServer.with { server in
            for headers in [[], [("traceparent", "00-zzzz-not-a-trace")], [("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")]] {
                let missing = try await server.send(.GET, "/v1/records/\(UUID().uuidString.lowercased())", token: server.readToken, headers: headers)
                let response = try #require(missing.header("traceresponse"))
                let traceID = try #require(try missing.jsonObject()["traceId"] as? String)
                #expect(traceID.count == 32 && traceID != "00000000000000000000000000000000")
                #expect(response == "00-\(traceID)-\(response.split(separator: "-")[2])-00", "\(headers)")
            }
            // Bloxs (ASP.NET) writes the whole W3C id of the request's span.
            let bloxs = try await server.sendJSON(.POST, "/Authorization", token: nil, json: #"{"apiKey":""}"#)
            let traceId = try #require(try bloxs.jsonObject()["traceId"] as? String)
            #expect(traceId == bloxs.header("traceresponse"))
        }
    }
}
