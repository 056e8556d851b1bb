import AttacheCore
import AsyncHTTPClient
import NIOCore
import NIOPosix

/// HTTP clients each pinned to one checked address of one host (AsyncHTTPClient's `dnsOverride`),
/// kept while they are used so deliveries to a receiver reuse their connections. At most
/// ``maximumCount`` are kept; the one used longest ago is shut down to make room.
actor PinnedClients {
    static let maximumCount = 32

    private struct Key: Hashable {
        var host: String
        var address: String
        var timeout: Duration
    }

    private let eventLoopGroup: MultiThreadedEventLoopGroup
    private var clients: [Key: (client: HTTPClient, used: UInt64)] = [:]
    private var uses: UInt64 = 0

    init(eventLoopGroup: MultiThreadedEventLoopGroup) {
        self.eventLoopGroup = eventLoopGroup
    }

    func client(host: String, pinnedTo address: IPAddress, timeout: Duration) async throws -> HTTPClient {
        uses += 1
        let key = Key(host: host, address: address.description, timeout: timeout)
        if let known = clients[key] {
            clients[key] = (known.client, uses)
            return known.client
        }
        if clients.count >= Self.maximumCount, let oldest = clients.min(by: { $0.value.used < $1.value.used }) {
            clients[oldest.key] = nil
            await Self.close(oldest.value.client)
        }
        let amount = TimeAmount.nanoseconds(Int64(timeout.timeInterval * 1e9))
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: amount, read: amount), decompression: .disabled
        )
        if host != address.description {
            configuration.dnsOverride = [host: address.description]
        }
        let client = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
        clients[key] = (client, uses)
        return client
    }

    func shutdown() async {
        for entry in clients.values {
            await Self.close(entry.client)
        }
        clients = [:]
    }

    /// Shuts a client down. It can only fail when it was shut down already, which leaves nothing to close.
    private static func close(_ client: HTTPClient) async {
        do {
            try await client.shutdown()
        } catch {}
    }
}
