import AttacheCore
import Foundation
import Hummingbird

/// Makes absolute, signed content links for API responses.
public struct LinkBuilder: Sendable {
    /// The configured public base URL (`--public-url`), without a trailing slash; `nil` to use the request's Host.
    let publicURL: String?
    let signer: URLSigner

    public init(publicURL: String?, signer: URLSigner) {
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.signer = signer
    }

    /// The base URL for links in the response to `request`.
    func baseURL(for request: Request) -> String {
        if let publicURL { return publicURL }
        let host = request.head.authority ?? "localhost"
        return "http://\(host)"
    }

    /// An absolute link to `path` that works without a token until it expires.
    func signedURL(path: String, tenant: Tenant, request: Request) -> String {
        baseURL(for: request) + path + "?" + signer.query(path: path, tenantSlug: tenant.slug)
    }

    /// An absolute link to `path` (for clients that send their token).
    func url(path: String, request: Request) -> String {
        baseURL(for: request) + path
    }
}
