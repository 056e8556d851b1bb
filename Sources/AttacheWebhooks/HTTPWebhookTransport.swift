public import AttacheCore
import AsyncHTTPClient
import NIOHTTP1
import NIOCore
public import NIOPosix

/// Webhook deliveries over HTTP (AsyncHTTPClient), connecting only where the address policy allows.
///
/// The host is resolved here, not by the client: every address it resolves to must be allowed
/// (``WebhookAddressPolicy``), and the connection goes to the first of them — the client is pinned to
/// it (`dnsOverride`), so a name that resolves elsewhere a moment later (DNS rebinding) cannot move the
/// connection. TLS still checks the certificate against the URL's host. Redirects are not followed:
/// a `3xx` is an answer like any other, and not a delivery.
public final class HTTPWebhookTransport: WebhookTransport {
    public let policy: WebhookAddressPolicy
    private let clients: PinnedClients
    private let resolver: HostResolver

    /// The most bytes of a receiver's answer read (and thrown away) before the connection is let go.
    static let answerBytesRead = 64 * 1024

    public init(policy: WebhookAddressPolicy, eventLoopGroup: MultiThreadedEventLoopGroup = .singleton, threadPool: NIOThreadPool = .singleton) {
        self.policy = policy
        self.clients = PinnedClients(eventLoopGroup: eventLoopGroup)
        self.resolver = HostResolver(threadPool: threadPool)
    }

    public func check(_ url: WebhookURL) async throws(AttacheError) {
        _ = try await allowedAddress(of: url)
    }

    public func send(_ request: WebhookRequest, timeout: Duration) async -> WebhookAttemptResult {
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.timeInterval * 1e9))
        let address: IPAddress
        do {
            address = try await allowedAddress(of: request.url)
        } catch {
            return .failed(reason: error.message)
        }
        var outgoing = HTTPClientRequest(url: request.url.text)
        outgoing.method = .POST
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let client = try await clients.client(host: request.url.host, pinnedTo: address, timeout: timeout)
            let response = try await client.execute(outgoing, deadline: deadline)
            var read = 0
            for try await part in response.body {
                read += part.readableBytes
                if read >= Self.answerBytesRead || NIODeadline.now() > deadline { break }
            }
            return .answered(status: Int(response.status.code))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .connectTimeout || error == .readTimeout {
            return .failed(reason: "no answer within \(timeout)")
        } catch {
            return .failed(reason: "the connection failed: \(String(describing: error))")
        }
    }

    /// Closes the pinned clients' connections.
    public func shutdown() async {
        await clients.shutdown()
    }

    /// The address a delivery to `url` connects to.
    /// - Throws: `invalidInput` (field `url`) when the host does not resolve, or resolves to an address
    ///   the policy refuses.
    private func allowedAddress(of url: WebhookURL) async throws(AttacheError) -> IPAddress {
        let addresses: [IPAddress]
        if let literal = IPAddress(url.host) {
            addresses = [literal]
        } else {
            addresses = await resolver.addresses(of: url.host, port: url.port)
        }
        guard let first = addresses.first else {
            throw AttacheError(.invalidInput, "url's host \(url.host) does not resolve.", field: "url")
        }
        for address in addresses {
            if let refusal = policy.refusal(of: address) {
                throw AttacheError(.invalidInput, "url's host \(url.host) resolves to \(address), \(refusal); webhooks are not delivered there.", field: "url")
            }
        }
        return first
    }
}
