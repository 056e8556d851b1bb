/// Which addresses webhook deliveries may connect to: public ones only, so a tenant cannot point a
/// webhook at the server's own network (SSRF) — unless the operator allows a network
/// (`--webhook-allow-network`), as the tests do for their receiver on loopback.
///
/// It is applied when an endpoint is saved and again to the addresses a connection is about to use,
/// after the name was resolved for it, so a name that resolves elsewhere later is caught too.
public struct WebhookAddressPolicy: Sendable, Hashable {
    /// Networks deliveries never reach unless allowed: loopback, link-local, private, unique-local,
    /// carrier-grade NAT, multicast, reserved and unspecified addresses, and IPv6's translation
    /// prefixes. IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible addresses are refused whatever
    /// they carry.
    public static let refusedNetworks: [(network: IPNetwork, name: String)] = [
        ("0.0.0.0/8", "an unspecified address"), ("10.0.0.0/8", "a private address"), ("100.64.0.0/10", "a carrier-grade NAT address"),
        ("127.0.0.0/8", "a loopback address"), ("169.254.0.0/16", "a link-local address"), ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "a reserved address"), ("192.168.0.0/16", "a private address"), ("198.18.0.0/15", "a benchmarking address"),
        ("224.0.0.0/4", "a multicast address"), ("240.0.0.0/4", "a reserved address"),
        ("::/128", "an unspecified address"), ("::1/128", "a loopback address"), ("64:ff9b::/96", "a NAT64 address"),
        ("64:ff9b:1::/48", "a NAT64 address"), ("2002::/16", "a 6to4 address"), ("fc00::/7", "a unique-local address"),
        ("fe80::/10", "a link-local address"), ("fec0::/10", "a site-local address"), ("ff00::/8", "a multicast address"),
    ].compactMap { text, name in IPNetwork(text).map { ($0, name) } }

    /// Networks the operator allows although they are refused by default.
    public var allowedNetworks: [IPNetwork]

    public init(allowedNetworks: [IPNetwork] = []) {
        self.allowedNetworks = allowedNetworks
    }

    /// Why a delivery may not connect to `address` (`"a loopback address"`); `nil` when it may.
    public func refusal(of address: IPAddress) -> String? {
        if allowedNetworks.contains(where: { $0.contains(address) }) { return nil }
        if address.mappedIPv4 != nil { return "an IPv4-mapped address" }
        if let name = Self.refusedNetworks.first(where: { $0.network.contains(address) })?.name { return name }
        // ::a.b.c.d (IPv4-compatible, long deprecated) is never a public destination.
        if address.bytes.count == 16, address.bytes[0..<12].allSatisfy({ $0 == 0 }) { return "an IPv4-compatible address" }
        return nil
    }
}
