/// The right to reference the content at one address, taken before its content is promoted.
///
/// Every blob row carries a generation that changes whenever `gc` marks it for deletion. An upload
/// claims the address (``MetadataStore/claimBlobs(_:)``), promotes its content outside any transaction
/// when ``needsContent`` says so, and commits its files only if the generation is still the one it
/// claimed. So content that was deleted after the claim can never end up referenced: the commit fails
/// with ``BlobLifecycleError/claimLost(_:)`` and the upload claims and promotes again.
public struct BlobClaim: Sendable, Hashable {
    public var address: BlobAddress
    public var generation: Int64
    /// Whether the content may be missing, so the upload must promote its staged copy.
    public var needsContent: Bool

    public init(address: BlobAddress, generation: Int64, needsContent: Bool) {
        self.address = address
        self.generation = generation
        self.needsContent = needsContent
    }
}
