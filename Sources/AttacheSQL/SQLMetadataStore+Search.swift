import AttacheCore
import Foundation
import SQLKit

/// Searching the index the schema keeps (`SQLSchema+Search.swift`). The tenant is in the full-text
/// query itself (its range of keys on SQLite, its lexemes on PostgreSQL) and, as a second guard, in the
/// join; the terms are letters and digits only (``AttacheCore/SearchQuery``), whole words but the last,
/// a prefix, so no client text reaches either engine's query syntax.
extension SQLMetadataStore {
    public func searchAttachments(tenantID: Int64, query: SearchQuery) async throws -> [SearchHit] {
        // No word, no hits (the tenant's part of the query alone would match all its attachments).
        guard !query.terms.isEmpty else { return [] }
        var conditions: SQLQueryString = ""
        if let type = query.recordType { conditions += " AND r.type = \(bind: type.rawValue)" }
        if let record = query.recordUUID { conditions += " AND r.uuid = \(bind: record.databaseText)" }
        if let kind = query.fileKind { conditions += " AND f.kind = \(bind: kind.rawValue)" }
        if let category = query.category { conditions += " AND a.category = \(bind: category)" }
        if let tag = query.tag { conditions += " AND \(Self.hasTag(tag, flavor: database.flavor))" }
        let filtered = query.recordType != nil || query.recordUUID != nil || query.fileKind != nil || query.category != nil || query.tag != nil
        let (flavor, filter) = (database.flavor, conditions)
        let rows = try await database.read { db -> [any SQLRow] in
            switch flavor {
            case .sqlite:
                return try await db.raw(Self.sqliteSearch(tenantID: tenantID, query: query, filter: filter, filtered: filtered)).all()
            case .postgres:
                let lexemes = try await Self.postgresLexemes(of: query.terms, in: db)
                // A word the index's configuration makes no lexeme of finds nothing (every word must be found).
                guard lexemes.allSatisfy({ !$0.isEmpty }) else { return [] }
                return try await db.raw(Self.postgresSearch(tenantID: tenantID, query: query, lexemes: lexemes, filter: filter, filtered: filtered)).all()
            }
        }
        return try rows.map { row in
            let highlighted = try ["h_name", "h_title", "h_description", "h_reference", "h_body"].map { try row.decode(column: $0, as: String.self) }
            return SearchHit(attached: try row.attachedFile(), snippet: Self.snippet(highlighted))
        }
    }

    /// The statement of a search on SQLite: FTS5's query of the terms, bounded to the tenant's keys
    /// (``SQLSchema/sqliteSearchKey(tenant:attachment:)``).
    static func sqliteSearch(tenantID: Int64, query: SearchQuery, filter: SQLQueryString, filtered: Bool) -> SQLQueryString {
        let match = query.terms.indices.map { index in
            "\"\(query.terms[index])\"" + (query.isPrefix(at: index) ? "*" : "")
        }.joined(separator: " AND ")
        let keys = SQLSchema.sqliteSearchKeys(ofTenant: tenantID)
        let attachment = SQLSchema.sqliteSearchKeyAttachment("attachment_search.rowid")
        // The page is ranked in FTS5 first (attache_rank: the SQLite store's BM25 without length
        // normalisation, see CAttacheSQLite) with its highlights, and only its entries are joined
        // to their rows; the rows are joined before the ranking only to filter. `CROSS JOIN` keeps
        // the index first: SQLite's planner, which cannot see the bound words, otherwise walks the
        // tenant's attachments and looks each up in the page (20 ms at 100,000, even for no hit).
        let joins: SQLQueryString =
            !filtered
            ? ""
            : " CROSS JOIN attachments a ON a.id = \(unsafeRaw: attachment) JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id"
        let page: SQLQueryString = """
            SELECT \(unsafeRaw: attachment) AS attachment_id,
                   attache_rank(attachment_search, 10.0, 2.0, 5.0, 3.0, 1.0) AS rank,
                   highlight(attachment_search, 0, char(2), char(3)) AS h_name,
                   highlight(attachment_search, 2, char(2), char(3)) AS h_title,
                   highlight(attachment_search, 1, char(2), char(3)) AS h_description,
                   highlight(attachment_search, 3, char(2), char(3)) AS h_reference,
                   snippet(attachment_search, 4, char(2), char(3), '…', 16) AS h_body
            FROM attachment_search\(joins)
            WHERE attachment_search MATCH \(bind: match)
                  AND attachment_search.rowid BETWEEN \(bind: keys.lowerBound) AND \(bind: keys.upperBound)\(filter)
            ORDER BY rank, attachment_search.rowid
            LIMIT \(literal: query.limit) OFFSET \(literal: query.offset)
            """
        return """
            SELECT \(unsafeRaw: SQLColumns.attachedFile), p.h_name, p.h_title, p.h_description, p.h_reference, p.h_body
            FROM (\(page)) p CROSS JOIN attachments a ON a.id = p.attachment_id
                 JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id
            WHERE a.tenant_id = \(bind: tenantID)
            ORDER BY p.rank, a.id
            """
    }

    /// The lexemes of each term as PostgreSQL's index makes them (`unaccent`, lower case), in the order
    /// of the term's text: one, or several where the parser splits a term, or none.
    static func postgresLexemes(of terms: [String], in db: any SQLDatabase) async throws -> [[String]] {
        let rows = try await db.raw("""
            SELECT w.n AS term, l.lexeme FROM unnest(string_to_array(\(bind: terms.joined(separator: " ")), ' ')) WITH ORDINALITY w(word, n)
                   CROSS JOIN LATERAL unnest(to_tsvector('attache_search', w.word)) l
            ORDER BY w.n, l.positions[1]
            """).all()
        var lexemes = Array(repeating: [String](), count: terms.count)
        for row in rows {
            let term = try row.decode(column: "term", as: Int.self)
            guard lexemes.indices.contains(term - 1) else { continue }
            lexemes[term - 1].append(try row.decode(column: "lexeme", as: String.self))
        }
        return lexemes
    }

    /// One term's lexemes as `tsquery` input, every one found (`&`), the tenant's where `tenantID` is
    /// given: whole lexemes, but the last of a prefix term (``AttacheCore/SearchQuery/isPrefix(at:)``), a prefix.
    static func postgresTerm(_ lexemes: [String], isPrefix: Bool, tenantID: Int64?) -> String {
        let quoted = lexemes.indices.map { index in
            let lexeme = tenantID.map { SQLSchema.postgresTenantTerm($0, lexeme: lexemes[index]) } ?? SQLSchema.postgresQuoted(lexemes[index])
            return lexeme + (isPrefix && index == lexemes.count - 1 ? ":*" : "")
        }
        return quoted.count == 1 ? quoted.joined() : "(" + quoted.joined(separator: " & ") + ")"
    }

    /// The statement of a search on PostgreSQL, of the terms' `lexemes` (``postgresLexemes(of:in:)``, none empty).
    static func postgresSearch(tenantID: Int64, query: SearchQuery, lexemes: [[String]], filter: SQLQueryString, filtered: Bool) -> SQLQueryString {
        // The query as the index reads it (every term in the tenant's lexemes, migration 37), as
        // `ts_rank` reads it (plain lexemes), and as headlines mark it: every term a prefix, since the
        // headline's parser keeps `plan.pdf` one word, which the index split at its punctuation.
        let terms = lexemes.indices.map { index in Self.postgresTerm(lexemes[index], isPrefix: query.isPrefix(at: index), tenantID: nil) }
        let tenantTerms = lexemes.indices.map { index in Self.postgresTerm(lexemes[index], isPrefix: query.isPrefix(at: index), tenantID: tenantID) }
        let words = terms.joined(separator: " & ")
        let all = tenantTerms.joined(separator: " & ")
        let marked = query.terms.map { $0 + ":*" }.joined(separator: " & ")
        // Headlines mark the words alone: a fragment must cover every term of its query.
        let headline = "'attache_search'"
        let options = "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', HighlightAll=true'"
        let bodyOptions = "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=16, MinWords=6, MaxFragments=1, FragmentDelimiter=…'"
        let joins: SQLQueryString =
            !filtered
            ? ""
            : " JOIN attachments a ON a.id = s.attachment_id JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id"
        // Hits are ranked by `ts_rank` on the small vector of the weighted fields (`heading`,
        // migration 27), highest first, then by attachment. Most hits rank at the floor: a heading
        // without the word ranks as an empty one, and so does a heading with fewer than two of
        // several words (`ts_rank`'s AND). So the page is found in two parts, in one statement:
        // - `ranked`: the hits above the floor, found in the narrow copy of the headings (migration
        //   36) by the word, or by any two of the words, sorted, then each checked against its
        //   entry (every word, the tenant, the filters) until the page is full. Ranking on the
        //   entries read every match's 1.6 KB row, 15,800 pages for a word in a fifth of 100,000 documents.
        // - `rest`: the hits at the floor, by attachment, read from the entries as before; only
        //   when `ranked` did not fill the page (`LIMIT 0` reads nothing).
        // Both compare a heading's rank with the floor, the rank of a vector without the words (`=`,
        // which no term is), so each hit is in exactly one part. The indexes are found by the tenant's
        // terms (`query`, and the pairs of `ranked`); a hit's own row is checked with the plain ones and
        // its tenant, as computing its tenant's lexemes would cost more.
        let page: SQLQueryString = """
            WITH q AS (SELECT \(bind: words)::tsquery AS words, \(bind: all)::tsquery AS query, ts_rank('='::tsvector, \(bind: words)::tsquery) AS floor),
            ranked AS (
                SELECT c.attachment_id, c.rank
                FROM (SELECT h.attachment_id, ts_rank(h.heading, q.words) AS rank
                      FROM q, attachment_search_headings h
                      WHERE attache_search_lexemes(h.tenant_id, h.heading) @@ \(bind: Self.postgresRankingQuery(tenantTerms))::tsquery
                            AND h.tenant_id = \(bind: tenantID) AND ts_rank(h.heading, q.words) > q.floor
                      ORDER BY rank DESC, h.attachment_id OFFSET 0) c
                     CROSS JOIN LATERAL (
                         SELECT 1 FROM q, attachment_search s\(joins)
                         WHERE s.attachment_id = c.attachment_id AND s.document @@ q.words AND s.tenant_id = \(bind: tenantID)\(filter)
                         LIMIT 1) found
                ORDER BY c.rank DESC, c.attachment_id LIMIT \(literal: query.offset + query.limit)),
            rest AS (
                SELECT s.attachment_id, 0::real AS rank
                FROM q, attachment_search s\(joins)
                WHERE attache_search_lexemes(s.tenant_id, s.document) @@ q.query AND s.tenant_id = \(bind: tenantID)\(filter)
                      AND ts_rank(s.heading, q.words) <= q.floor
                ORDER BY s.attachment_id LIMIT (SELECT \(literal: query.offset + query.limit) - count(*) FROM ranked))
            SELECT attachment_id, rank, part
            FROM (SELECT *, 0 AS part FROM ranked UNION ALL SELECT *, 1 AS part FROM rest) hits
            ORDER BY part, rank DESC, attachment_id OFFSET \(literal: query.offset) LIMIT \(literal: query.limit)
            """
        return """
            SELECT \(unsafeRaw: SQLColumns.attachedFile),
                   ts_headline(\(unsafeRaw: headline), f.name, q.words, \(unsafeRaw: options)) AS h_name,
                   ts_headline(\(unsafeRaw: headline), COALESCE(r.title, ''), q.words, \(unsafeRaw: options)) AS h_title,
                   ts_headline(\(unsafeRaw: headline), COALESCE(a.description, ''), q.words, \(unsafeRaw: options)) AS h_description,
                   ts_headline(\(unsafeRaw: headline), r.reference || ' ' || COALESCE(r.external_identifier, ''), q.words, \(unsafeRaw: options)) AS h_reference,
                   ts_headline(\(unsafeRaw: headline), left(COALESCE(d.text, ''), \(literal: SQLSchema.postgresBodyLength)), q.words, \(unsafeRaw: bodyOptions)) AS h_body
            FROM (SELECT to_tsquery('attache_search', \(bind: marked)) AS words) q,
                 (\(page)) p JOIN attachments a ON a.id = p.attachment_id
                 JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id
                 LEFT JOIN derived_texts d ON d.tenant_id = f.tenant_id AND d.sha256 = f.sha256
            WHERE a.tenant_id = \(bind: tenantID)
            ORDER BY p.part, p.rank DESC, a.id
            """
    }

    /// The words whose presence in a heading ranks it above the floor, as a query: the one word, or any
    /// two of several (`ts_rank` ranks a heading with one of several words as one with none).
    static func postgresRankingQuery(_ words: [String]) -> String {
        guard words.count > 1 else { return words.joined() }
        var pairs: [String] = []
        for (index, first) in words.enumerated() {
            for second in words[(index + 1)...] { pairs.append("(\(first) & \(second))") }
        }
        return pairs.joined(separator: " | ")
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
