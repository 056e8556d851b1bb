import AttacheCore

extension BlobAddress {
    /// The order in which transactions lock addresses, so that two never wait on each other.
    static func lockOrder(_ a: BlobAddress, _ b: BlobAddress) -> Bool {
        (a.tenantID, a.sha256) < (b.tenantID, b.sha256)
    }
}
