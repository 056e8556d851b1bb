import AttacheCore
import Foundation
import SQLKit

/// Searching the index the schema keeps (`SQLSchema+Search.swift`). The tenant is in the full-text
/// query itself (and, as a second guard, in the join); the terms are letters and digits only
/// (``AttacheCore/SearchQuery``), each a prefix, so no client text reaches either engine's query syntax.
extension SQLMetadataStore {
    public func searchAttachments(tenantID: Int64, query: SearchQuery) async throws -> [SearchHit] {
        // No word, no hits (the tenant's part of the query alone would match all its attachments).
        guard !query.terms.isEmpty else { return [] }
        var filter: SQLQueryString = ""
        if let type = query.recordType { filter += " AND r.type = \(bind: type.rawValue)" }
        if let record = query.recordUUID { filter += " AND r.uuid = \(bind: record.databaseText)" }
        if let kind = query.fileKind { filter += " AND f.kind = \(bind: kind.rawValue)" }
        if let category = query.category { filter += " AND a.category = \(bind: category)" }
        if let tag = query.tag { filter += " AND \(Self.hasTag(tag, flavor: database.flavor))" }
        let filtered = query.recordType != nil || query.recordUUID != nil || query.fileKind != nil || query.category != nil || query.tag != nil
        let statement: SQLQueryString
        switch database.flavor {
        case .sqlite:
            let words = query.terms.map { "{name description title reference body} : \"\($0)\"*" }
            let match = (["tenant : \"t\(tenantID)\""] + words).joined(separator: " AND ")
            // The page is ranked in FTS5 first (attache_rank: the SQLite store's BM25 without length
            // normalisation, see CAttacheSQLite) with its highlights, and only its entries are joined
            // to their rows; the rows are joined before the ranking only to filter. `CROSS JOIN` keeps
            // the index first: SQLite's planner, which cannot see the bound words, otherwise walks the
            // tenant's attachments and looks each up in the page (20 ms at 100,000, even for no hit).
            let joins: SQLQueryString =
                !filtered
                ? ""
                : " CROSS JOIN attachments a ON a.id = attachment_search.rowid JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id"
            let page: SQLQueryString = """
                SELECT attachment_search.rowid AS attachment_id,
                       attache_rank(attachment_search, 0.0, 10.0, 2.0, 5.0, 3.0, 1.0) AS rank,
                       highlight(attachment_search, 1, char(2), char(3)) AS h_name,
                       highlight(attachment_search, 3, char(2), char(3)) AS h_title,
                       highlight(attachment_search, 2, char(2), char(3)) AS h_description,
                       highlight(attachment_search, 4, char(2), char(3)) AS h_reference,
                       snippet(attachment_search, 5, char(2), char(3), '…', 16) AS h_body
                FROM attachment_search\(joins)
                WHERE attachment_search MATCH \(bind: match)\(filter)
                ORDER BY rank, attachment_search.rowid
                LIMIT \(literal: query.limit) OFFSET \(literal: query.offset)
                """
            statement = """
                SELECT \(unsafeRaw: SQLColumns.attachedFile), p.h_name, p.h_title, p.h_description, p.h_reference, p.h_body
                FROM (\(page)) p CROSS JOIN attachments a ON a.id = p.attachment_id
                     JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id
                WHERE a.tenant_id = \(bind: tenantID)
                ORDER BY p.rank, a.id
                """
        case .postgres:
            let terms = query.terms.map { $0 + ":*" }.joined(separator: " & ")
            // Headlines mark the words alone: a fragment must cover every term of its query, and no
            // field's text holds the tenant's term.
            let headline = "'attache_search'"
            let options = "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', HighlightAll=true'"
            let bodyOptions = "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=…'"
            // The page is ranked first, on the index's rows (joined only to filter), and only its entries
            // are joined to their text and headlined: joining every match's text (a common word is in a
            // fifth of a tenant's documents) before the sort cost more than the ranking. Hits are ranked
            // on the small vector of weighted fields (`heading`, migration 27); the text's words, kept
            // without positions, rank every match alike.
            let joins: SQLQueryString =
                !filtered
                ? ""
                : " JOIN attachments a ON a.id = s.attachment_id JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id"
            let page: SQLQueryString = """
                SELECT s.attachment_id, ts_rank(s.heading, pq.words) AS rank
                FROM (SELECT (\(bind: "tenant=\(tenantID)")::tsquery && to_tsquery('attache_search', \(bind: terms))) AS query,
                             to_tsquery('attache_search', \(bind: terms)) AS words) pq,
                     attachment_search s\(joins)
                WHERE s.document @@ pq.query AND s.tenant_id = \(bind: tenantID)\(filter)
                ORDER BY rank DESC, s.attachment_id LIMIT \(literal: query.limit) OFFSET \(literal: query.offset)
                """
            statement = """
                SELECT \(unsafeRaw: SQLColumns.attachedFile),
                       ts_headline(\(unsafeRaw: headline), f.name, q.words, \(unsafeRaw: options)) AS h_name,
                       ts_headline(\(unsafeRaw: headline), COALESCE(r.title, ''), q.words, \(unsafeRaw: options)) AS h_title,
                       ts_headline(\(unsafeRaw: headline), COALESCE(a.description, ''), q.words, \(unsafeRaw: options)) AS h_description,
                       ts_headline(\(unsafeRaw: headline), r.reference || ' ' || COALESCE(r.external_identifier, ''), q.words, \(unsafeRaw: options)) AS h_reference,
                       ts_headline(\(unsafeRaw: headline), left(COALESCE(d.text, ''), \(literal: SQLSchema.postgresBodyLength)), q.words, \(unsafeRaw: bodyOptions)) AS h_body
                FROM (SELECT to_tsquery('attache_search', \(bind: terms)) AS words) q,
                     (\(page)) p JOIN attachments a ON a.id = p.attachment_id
                     JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id
                     LEFT JOIN derived_texts d ON d.tenant_id = f.tenant_id AND d.sha256 = f.sha256
                WHERE a.tenant_id = \(bind: tenantID)
                ORDER BY p.rank DESC, a.id
                """
        }
        let rows = try await database.read { db in try await db.raw(statement).all() }
        return try rows.map { row in
            let highlighted = try ["h_name", "h_title", "h_description", "h_reference", "h_body"].map { try row.decode(column: $0, as: String.self) }
            return SearchHit(attached: try row.attachedFile(), snippet: Self.snippet(highlighted))
        }
    }

    /// What a hit shows: each highlighted field that holds a match, in the order given, joined by " · ";
    /// the first field (the file's name) when none does.
    static func snippet(_ fields: [String]) -> [SearchHit.SnippetPart] {
        let matching = fields.filter { $0.contains(SearchHit.matchStart) }
        let shown = matching.isEmpty ? Array(fields.prefix(1)) : matching
        var parts: [SearchHit.SnippetPart] = []
        for (index, field) in shown.enumerated() {
            if index > 0 { parts.append(.init(text: " · ", isMatch: false)) }
            parts += SearchHit.snippet(marked: field)
        }
        return parts
    }
}
