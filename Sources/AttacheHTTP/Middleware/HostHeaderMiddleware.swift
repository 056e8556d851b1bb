import AttacheCore
import HTTPTypes
import Hummingbird

/// Refuses a request without a `Host`, with two, or with one that is not `host[:port]` (400, as RFC
/// 9112 §3.2 asks): absolute links are built from it when `--public-url` is not set, so a crafted one
/// (`evil.example/x?y=#`) must never reach a link. HTTP/1's first `Host` is the request's authority;
/// any further one stays among the header fields.
package struct HostHeaderMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext

    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authority = request.head.authority else {
            throw AttacheError(.invalidInput, "The request has no Host header.")
        }
        guard request.headers[values: .host].isEmpty else {
            throw AttacheError(.invalidInput, "The request has more than one Host header.")
        }
        guard Self.isValid(authority) else {
            throw AttacheError(.invalidInput, "The Host header must be host[:port].")
        }
        return try await next(request, context)
    }

    /// `name[:port]` with a DNS name or IPv4 address, or `[IPv6][:port]`.
    static func isValid(_ authority: String) -> Bool {
        var rest = Substring(authority)
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return false }
            let literal = rest[rest.index(after: rest.startIndex)..<close]
            guard !literal.isEmpty, literal.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            rest = rest[rest.index(after: close)...]
        } else {
            let name = rest.prefix { $0 != ":" }
            guard !name.isEmpty, name.count <= 253, name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-._".contains($0) }) else {
                return false
            }
            rest = rest[name.endIndex...]
        }
        guard !rest.isEmpty else { return true }
        guard rest.first == ":" else { return false }
        let port = rest.dropFirst()
        return !port.isEmpty && port.count <= 5 && port.allSatisfy { $0.isASCII && $0.isNumber } && (Int(port) ?? 70_000) <= 65_535
    }
}
