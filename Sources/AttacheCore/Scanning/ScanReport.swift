/// What `attache scan` found: contents scanned, and those quarantined with their signature.
public struct ScanReport: Sendable {
    public var scanned = 0
    public var infected: [(address: BlobAddress, signature: String, files: Int)] = []

    public init() {}
}
