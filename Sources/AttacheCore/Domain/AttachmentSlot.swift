/// Where in a record's custom fields an attachment sits (HighLevel file fields): the field's id and
/// the entry key the client chose for the file.
public struct AttachmentSlot: Sendable, Hashable, Codable {
    public var fieldID: String
    public var entryKey: String

    public init(fieldID: String, entryKey: String) {
        self.fieldID = fieldID
        self.entryKey = entryKey
    }
}
