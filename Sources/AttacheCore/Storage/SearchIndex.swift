/// Finding a tenant's attachments by words: the stores keep an index of each attachment's file name,
/// description and record (title, reference, external identifier), updated in the transaction of every
/// change to them, so a deleted attachment is gone from the hits at once. The tenant is part of the
/// index query itself, never a filter applied to another tenant's hits. (A role of ``MetadataStore``.)
public protocol SearchIndex: Sendable {
    /// The tenant's attachments where every term of `query` finds a word
    /// (``SearchQuery/term(at:finds:)``), best first (SQLite FTS5's bm25; PostgreSQL's `ts_rank`), a
    /// page of them (`query.limit` from `query.offset`); none for a query without terms.
    func searchAttachments(tenantID: Int64, query: SearchQuery) async throws -> [SearchHit]
}
