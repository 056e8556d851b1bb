/// One piece of derived work a node has claimed: `kind` for the content at `address`, on its
/// `attempt`th try (1 for the first). The claim is a lease: when the node does not finish before it
/// ends, another node claims the job again.
public struct DerivationJob: Sendable, Hashable {
    public var id: Int64
    public var address: BlobAddress
    public var kind: DerivationKind
    /// The MIME type of a file with this content, when the job was made.
    public var mimeType: String
    public var attempt: Int

    public init(id: Int64, address: BlobAddress, kind: DerivationKind, mimeType: String, attempt: Int) {
        self.id = id
        self.address = address
        self.kind = kind
        self.mimeType = mimeType
        self.attempt = attempt
    }
}
