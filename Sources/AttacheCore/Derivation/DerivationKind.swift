/// What is derived from stored content in the background. Each kind is worked once per content (a
/// tenant's blob, so deduplicated files are processed once) by a job in the metadata store.
public enum DerivationKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// The content's text, for search (``DerivedText``).
    case text
    /// Images that show the content: a thumbnail and a preview (``PreviewImage``).
    case preview

    /// The kinds of work due for content of this MIME type, in the order they should run.
    public static func kinds(forMIMEType mimeType: String) -> [DerivationKind] {
        var kinds: [DerivationKind] = []
        if TextSource(mimeType: mimeType) != nil { kinds.append(.text) }
        if PreviewSource(mimeType: mimeType) != nil { kinds.append(.preview) }
        return kinds
    }
}
