/// Content that a ``BlobWriter`` has written to a temporary location, not yet visible under an address.
public struct StagedBlob: Sendable, Hashable {
    /// The store's own name for the temporary copy.
    public var stagingKey: String
    public var size: Int64

    public init(stagingKey: String, size: Int64) {
        self.stagingKey = stagingKey
        self.size = size
    }
}
