/// Filters for listing records. Every set field must match.
public struct RecordQuery: Sendable, Hashable {
    public var type: RecordType?
    public var externalIdentifier: String?
    public var reference: String?

    public init(type: RecordType? = nil, externalIdentifier: String? = nil, reference: String? = nil) {
        self.type = type
        self.externalIdentifier = externalIdentifier
        self.reference = reference
    }
}
