/// Content that has been received in full, checked, hashed and staged, ready to be stored as a file.
public struct CompletedUpload: Sendable, Hashable {
    public var file: NewFile
    public var staged: StagedBlob

    public init(file: NewFile, staged: StagedBlob) {
        self.file = file
        self.staged = staged
    }
}
