/// Filters for listing records. Every set field must match.
public struct RecordQuery: Sendable, Hashable {
    public var type: RecordType?
    public var externalIdentifier: String?
    public var reference: String?
    /// Records whose title starts with this, whatever the case and accents (``TitleSearchKey``).
    public var titlePrefix: String?

    public init(type: RecordType? = nil, externalIdentifier: String? = nil, reference: String? = nil, titlePrefix: String? = nil) {
        self.titlePrefix = titlePrefix
        self.type = type
        self.externalIdentifier = externalIdentifier
        self.reference = reference
    }
}
