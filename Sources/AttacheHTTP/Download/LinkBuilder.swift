import AttacheCore
import Foundation
import Hummingbird

/// Makes absolute, signed content links for API responses.
public struct LinkBuilder: Sendable {
    /// The configured public base URL (`--public-url`), without a trailing slash; `nil` to use the request's Host.
    let publicURL: String?
    package let signer: URLSigner
    /// The path the face that makes the links is mounted under (`""` or `/prefix`).
    package let mountPath: String

    public init(publicURL: String?, signer: URLSigner) {
        self.init(publicURL: publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }, signer: signer, mountPath: "")
    }

    private init(publicURL: String?, signer: URLSigner, mountPath: String) {
        self.publicURL = publicURL
        self.signer = signer
        self.mountPath = mountPath
    }

    /// The same builder for a face mounted under `path`: every link it makes (and signs) starts there.
    package func mounted(at path: String) -> LinkBuilder {
        LinkBuilder(publicURL: publicURL, signer: signer, mountPath: path)
    }

    /// The base URL for links in the response to `request`.
    package func baseURL(for request: Request) -> String {
        if let publicURL { return publicURL }
        let host = request.head.authority ?? "localhost"
        return "http://\(host)"
    }

    /// An absolute link to the face's `path` that works without a token until it expires.
    package func signedURL(path: String, tenant: Tenant, request: Request) -> String {
        let mounted = mountPath + path
        return baseURL(for: request) + mounted + "?" + signer.query(path: mounted, tenantSlug: tenant.slug)
    }

    /// An absolute link to `path` on the server's own root, whatever face makes it: the public pages
    /// (`/s/…`) are not mounted under a face's prefix.
    package func publicURL(path: String, request: Request) -> String {
        baseURL(for: request) + path
    }

    /// An absolute link to the face's `path` (for clients that send their token).
    package func url(path: String, request: Request) -> String {
        baseURL(for: request) + mountPath + path
    }
}
