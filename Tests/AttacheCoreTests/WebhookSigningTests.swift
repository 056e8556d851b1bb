import AttacheCore
import Foundation
import Testing

/// What deliveries are signed with and where they may go, against the specifications' own figures.
@Suite("Webhook signing and addresses")
struct WebhookSigningTests {
    /// Standard Webhooks' published example: this secret, id, timestamp and body sign to this value
    /// (the same figure PyPI's `standardwebhooks` computes).
    @Test func theSignatureIsStandardWebhooksExample() throws {
        let secret = try #require(WebhookSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signature = secret.signature(messageID: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(WebhookSecret(text: "whsec_c2hvcnQ=") == nil, "fewer than 24 bytes")
        #expect(WebhookSecret(text: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") == nil, "no prefix")
        let generated = WebhookSecret.generate()
        #expect(WebhookSecret(text: generated.text) == generated && generated != WebhookSecret.generate())
        #expect(!"\(generated)".contains(generated.text.dropFirst(6)))
    }

    @Test func onlyPublicAddressesAreReachedUnlessANetworkIsAllowed() throws {
        let policy = WebhookAddressPolicy()
        let refused = [
            "127.0.0.1", "127.255.0.9", "::1", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "fe80::1",
            "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:8.8.8.8", "0.0.0.0", "::", "100.64.0.1", "224.0.0.1", "ff02::1",
            "64:ff9b::a00:1", "::10.0.0.1",
        ]
        for text in refused {
            let address = try #require(IPAddress(text), "\(text)")
            #expect(policy.refusal(of: address) != nil, "\(text) must be refused")
        }
        for text in ["8.8.8.8", "172.32.0.1", "192.169.0.1", "2001:4860:4860::8888", "203.0.113.7"] {
            let address = try #require(IPAddress(text), "\(text)")
            #expect(policy.refusal(of: address) == nil, "\(text) is public")
        }
        let loopback = WebhookAddressPolicy(allowedNetworks: [try #require(IPNetwork("127.0.0.0/8"))])
        #expect(try loopback.refusal(of: #require(IPAddress("127.0.0.1"))) == nil)
        #expect(try loopback.refusal(of: #require(IPAddress("::ffff:127.0.0.1"))) == "an IPv4-mapped address")
        #expect(try loopback.refusal(of: #require(IPAddress("10.0.0.1"))) == "a private address")
        for text in ["10.0.0.0/33", "fd00::/129", "example.com/8", "10.0.0.0/x", ""] {
            #expect(IPNetwork(text) == nil, "\(text)")
        }
        #expect(IPNetwork("10.1.2.3")?.prefixLength == 32)
    }

    @Test func theScheduleIsTheSpecificationsWithJitter() {
        let schedule = WebhookRetrySchedule.standard
        #expect(schedule.waits == [5, 300, 1800, 7200, 18_000, 36_000, 36_000].map { .seconds($0) })
        #expect(schedule.wait(after: 1, draw: 0.5) == .seconds(5) && schedule.wait(after: 8, draw: 0.5) == nil)
        #expect(schedule.wait(after: 2, draw: 0) == .seconds(240) && schedule.wait(after: 2, draw: 1) == .seconds(360))
        #expect(WebhookRetrySchedule(secondsList: "0.1, 2,30")?.waits == [.milliseconds(100), .seconds(2), .seconds(30)])
        #expect(WebhookRetrySchedule(secondsList: "") == nil && WebhookRetrySchedule(secondsList: "1,-2") == nil)
    }
}
