/// An attachment together with the file it links and the record it belongs to: what every face renders.
public struct AttachedFile: Sendable, Hashable {
    public var attachment: Attachment
    public var file: StoredFile
    public var record: Record

    public init(attachment: Attachment, file: StoredFile, record: Record) {
        self.attachment = attachment
        self.file = file
        self.record = record
    }
}
