/// The bytes one request added to a ``ResumableUpload``: staged content at an offset.
public struct ResumablePart: Sendable, Hashable {
    public var offset: Int64
    public var staged: StagedBlob

    public init(offset: Int64, staged: StagedBlob) {
        self.offset = offset
        self.staged = staged
    }
}
