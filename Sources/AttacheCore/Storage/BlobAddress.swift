/// Where a blob lives: content-addressed by SHA-256 within one tenant.
///
/// Identical content uploaded twice by one tenant is stored once; different tenants never share a blob.
public struct BlobAddress: Sendable, Hashable, CustomStringConvertible {
    public var tenantID: Int64
    /// Lower-case hex SHA-256 of the content (64 characters).
    public var sha256: String

    public init(tenantID: Int64, sha256: String) {
        self.tenantID = tenantID
        self.sha256 = sha256
    }

    /// Whether `sha256` is 64 lower-case hex digits, so it is safe to use in a path or key.
    public var isWellFormed: Bool {
        sha256.utf8.count == 64 && sha256.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    public var description: String { "\(tenantID)/\(sha256)" }
}
