import AttacheCore
import Crypto
import Foundation

/// AWS Signature Version 4 for S3 requests, with `UNSIGNED-PAYLOAD` bodies so that uploads stream.
struct S3Signer: Sendable {
    let accessKeyID: String
    let secretAccessKey: String
    let region: String

    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256` and `Authorization`.
    ///
    /// - Parameters:
    ///   - path: the URI-encoded path, as sent.
    ///   - query: query items, unencoded.
    ///   - headers: headers that are signed (at least `host`), names in any case.
    func sign(
        method: String,
        path: String,
        query: [(String, String)],
        headers: [(String, String)],
        payloadHash: String = S3Signer.unsignedPayload,
        date: Date = Date()
    ) -> [(String, String)] {
        let timestamp = Self.timestamp(date)
        var signed = headers.map { ($0.0.lowercased(), $0.1.trimmingCharacters(in: .whitespaces)) }
        signed.append(("x-amz-content-sha256", payloadHash))
        signed.append(("x-amz-date", timestamp))
        let (signature, scope, signedNames) = self.signature(
            method: method, path: path, query: query, headers: signed, payloadHash: payloadHash, timestamp: timestamp
        )
        let authorization = "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope), SignedHeaders=\(signedNames), Signature=\(signature)"
        return [("x-amz-content-sha256", payloadHash), ("x-amz-date", timestamp), ("Authorization", authorization)]
    }

    /// The query string of a presigned request (SigV4 in the query): `query` and the `X-Amz-*`
    /// parameters, `X-Amz-Signature` last. Only `host` is signed, so any client can send it.
    func presign(method: String, path: String, host: String, query: [(String, String)], lifetime: Int, date: Date = Date()) -> String {
        let timestamp = Self.timestamp(date)
        let scope = "\(timestamp.prefix(8))/\(region)/s3/aws4_request"
        let parameters = query + [
            ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
            ("X-Amz-Credential", "\(accessKeyID)/\(scope)"),
            ("X-Amz-Date", timestamp),
            ("X-Amz-Expires", String(lifetime)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        let (signature, _, _) = self.signature(
            method: method, path: path, query: parameters, headers: [("host", host)], payloadHash: Self.unsignedPayload, timestamp: timestamp
        )
        return (parameters + [("X-Amz-Signature", signature)]).map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    /// The SigV4 signature of a canonical request, its credential scope and the signed header names.
    /// - Parameter headers: the signed headers, names in lower case.
    private func signature(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], payloadHash: String, timestamp: String
    ) -> (signature: String, scope: String, signedNames: String) {
        let day = String(timestamp.prefix(8))
        let signed = headers.sorted { $0.0 < $1.0 }
        let encoded: [(name: String, value: String)] = query.map { (Self.encode($0.0), Self.encode($0.1)) }
        let ordered = encoded.sorted { lhs, rhs in lhs.name == rhs.name ? lhs.value < rhs.value : lhs.name < rhs.name }
        let canonicalQuery = ordered.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        let signedNames = signed.map(\.0).joined(separator: ";")
        let canonicalRequest = [
            method, path, canonicalQuery,
            signed.map { "\($0.0):\($0.1)\n" }.joined(),
            signedNames, payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/s3/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", timestamp, scope, SHA256.hash(data: Data(canonicalRequest.utf8)).hexString]
            .joined(separator: "\n")
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, "s3", "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return (HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key).hexString, scope, signedNames)
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)

    /// RFC 3986 unreserved characters stay; everything else is `%XX` (slashes too, for query values).
    static func encode(_ text: String, keepSlash: Bool = false) -> String {
        var out = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) || (keepSlash && byte == 0x2F) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = Date.ISO8601FormatStyle(timeZone: .gmt)
        return formatter.format(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }
}
