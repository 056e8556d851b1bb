/// A blob row marked for deletion by `gc`: its content may be removed, then the row.
public struct BlobDeletion: Sendable, Hashable {
    public var address: BlobAddress
    public var generation: Int64

    public init(address: BlobAddress, generation: Int64) {
        self.address = address
        self.generation = generation
    }
}
