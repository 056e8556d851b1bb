public import Foundation

/// A webhook endpoint's URL, checked for its form: `http` or `https`, a host, no user or password, no
/// fragment, at most 2,000 characters (code points). Where its host leads is the transport's check
/// (``WebhookTransport/check(_:)``), at saving and again at every connection.
public struct WebhookURL: Sendable, Hashable, CustomStringConvertible {
    static let maximumLength = 2000

    public let text: String
    public let isSecure: Bool
    /// The host as written, without the brackets of an IPv6 literal.
    public let host: String
    public let port: Int

    /// - Throws: `invalidInput` (field `url`) saying what is wrong.
    public init(_ text: String) throws(AttacheError) {
        func refuse(_ reason: String) -> AttacheError {
            AttacheError(.invalidInput, "url \(reason).", field: "url")
        }
        guard text.unicodeScalars.count <= Self.maximumLength else { throw refuse("must be at most \(Self.maximumLength) characters") }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw refuse("must be an absolute http or https URL")
        }
        guard scheme == "http" || scheme == "https" else { throw refuse("must use http or https") }
        guard components.user == nil, components.password == nil else { throw refuse("must not hold a user or password") }
        guard components.fragment == nil else { throw refuse("must not have a fragment") }
        guard var host = components.host, !host.isEmpty else { throw refuse("must name a host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = components.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65535).contains(port) else { throw refuse("has a port out of range") }
        self.text = text
        self.isSecure = scheme == "https"
        self.host = host.lowercased()
        self.port = port
    }

    public var description: String { text }
}
