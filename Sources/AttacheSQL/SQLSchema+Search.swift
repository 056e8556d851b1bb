/// The search index (``AttacheCore/SearchIndex``): one entry per attachment, of its file's name, its
/// description and its record's title, reference and external identifier, kept by triggers in the
/// transaction of every change to those rows, so no code path can forget it.
///
/// SQLite: an FTS5 table whose tokenizer folds case and accents, each entry keyed by its tenant and
/// attachment, so every query is bounded to its tenant's keys (migration 38, below; until then the
/// rowid was the attachment's id, and a `tenant` column held `t<tenant id>`, which every query matched).
/// PostgreSQL: a `tsvector` per attachment under a GIN index, made with the `attache_search`
/// configuration (`unaccent`, then `simple`), which holds the lexeme `tenant=<id>` that every query
/// requires (until migration 36, below); words are split at punctuation first, so
/// `lease_jansen_2024.pdf` is found by `jansen`.
///
/// Migration 24 made the index with an empty `body`; migration 25 (``searchIndexOfContentText(_:)``)
/// fills it with the text read from the attachment's content (`derived_texts`): an entry takes it when
/// it is made, and the store puts it in every entry of that content when a job reads it (PostgreSQL
/// indexes its first ``postgresBodyLength`` characters, its lexemes without positions, as a `tsvector`
/// holds at most 1 MB).
///
/// Migration 27 (``searchIndexRankedByHeading(_:)``) gives each PostgreSQL entry a second, small
/// vector, `heading`: the weighted fields alone (name, record, description), on which hits are
/// ranked. The text's lexemes have no positions, so they ranked every match alike; ranking on
/// `document` read every match's whole vector (1.6 KB of a 150-word text) to learn nothing more.
///
/// Migration 36 (``searchIndexHeadingsApart(_:)``) changes two things on PostgreSQL:
/// - **The tenant's lexeme** becomes `=tenant<id>`. It was `tenant=<id>`, which the prefix query of the
///   word "tenant" (or "ten") matched, so that word found every attachment of the tenant.
///   A lexeme that begins with `=` matches no query term: terms are letters and digits only.
/// - **A narrow copy of the headings**, `attachment_search_headings` (the attachment, and its heading
///   with the tenant's lexeme, under a GIN index of its own). Ranking reads it instead of the
///   entries' rows, which the text makes 1.6 KB each (see `SQLMetadataStore+Search.swift`).
///
/// Migration 37 (``searchIndexOfTenantLexemes(_:)``) indexes PostgreSQL's entries and headings by
/// **lexemes that carry their tenant**: `attache_search_lexemes(tenant, vector)` turns each lexeme `gas`
/// into `t<tenant>_gas`, and both GIN indexes are on that expression, so the vectors keep their plain
/// lexemes (which `ts_rank` and `ts_headline` read) and a query's terms are its tenant's
/// (`t1_gas:*`). A word's postings are then one tenant's only: the index no longer collects every
/// tenant's documents holding the word, then intersects them with the 100,000 postings of the tenant's
/// own lexeme (half of the time of a three-word search at 100,000 documents). `t1_` cannot begin a
/// lexeme of tenant 12 (`t12_`), and no term (letters and digits) begins with `=`, which entries written
/// before this migration still hold as `t<id>_=tenant<id>`. The headings' copy holds its tenant now.
///
/// Migration 38 (``searchIndexOfTenantKeys(_:)``) rebuilds SQLite's index with **entries keyed by their
/// tenant**: an entry's rowid is the tenant's id in its high bits and the attachment's in its low 40
/// (``sqliteSearchKey(tenant:attachment:)``), so a tenant's entries are one range of rowids, and every
/// query is bounded to its tenant's range: FTS5 seeks each word's postings to the range and stops at its
/// end. The `tenant` column is gone, and with it the term every query matched: its postings were every
/// entry of the tenant (100,000 at 100,000 documents), which each search walked beside the words' own,
/// half of its time. The index is built merged into one segment (`optimize`). On both engines an entry
/// is now written again only when a column it reads changes; before, every update of its attachment (a
/// label, a legal hold) wrote it again, reading the content's text again on PostgreSQL.
extension SQLSchema {
    /// Migration 24, as it shipped.
    static func searchIndex(_ flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite: sqliteSearchIndex
        case .postgres: postgresSearchIndex
        }
    }

    /// Migration 25: entries take their content's text (no content has any yet when it runs).
    static func searchIndexOfContentText(_ flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite:
            ["DROP TRIGGER attachment_search_insert", "DROP TRIGGER attachment_search_update"] + sqliteEntryTriggers(body: sqliteContentText)
        case .postgres:
            ["ALTER TABLE attachment_search DROP COLUMN body", postgresReindex(.contentText)]
        }
    }

    /// Migration 27: PostgreSQL entries keep their weighted fields apart, to rank on (SQLite ranks in
    /// FTS5: nothing to change).
    static func searchIndexRankedByHeading(_ flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite:
            []
        case .postgres:
            [
                "ALTER TABLE attachment_search ADD COLUMN heading tsvector NOT NULL DEFAULT ''::tsvector",
                postgresReindex(.heading),
                """
                UPDATE attachment_search s SET heading = \(postgresHeading)
                FROM attachments a JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id WHERE a.id = s.attachment_id
                """,
            ]
        }
    }

    /// Migration 34: PostgreSQL reindexes an attachment under its row's lock, and writes the entry over
    /// the one it replaces (`ON CONFLICT DO UPDATE`). Two transactions that reindexed one attachment at
    /// once without a lock in common (a change to its record's title, or its content's text arriving,
    /// beside a change to it) both found nothing to delete, and the second insert failed on the first's
    /// row; or, written over, the later entry could still hold what the other had not yet committed.
    /// Under the lock, the second reads (each statement of the function with a new snapshot) what the
    /// first committed. Rows are locked in id order, as every reindex of several does.
    static func searchIndexWrittenOver(_ flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite: []
        case .postgres: [postgresReindex(.heading, writing: .overUnderLock)]
        }
    }

    /// Migration 36: PostgreSQL's tenant lexeme that no word matches, and the headings apart (see
    /// above). Existing entries are rewritten in place rather than reindexed: their text is not read again.
    static func searchIndexHeadingsApart(_ flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite:
            []
        case .postgres:
            [
                "UPDATE attachment_search SET document = ts_delete(document, 'tenant=' || tenant_id) || \(postgresTenantLexeme("tenant_id"))",
                "CREATE TABLE attachment_search_headings (attachment_id BIGINT PRIMARY KEY, heading tsvector NOT NULL)",
                "INSERT INTO attachment_search_headings (attachment_id, heading) SELECT attachment_id, \(postgresTenantLexeme("tenant_id")) || heading FROM attachment_search",
                "CREATE INDEX attachment_search_headings_heading ON attachment_search_headings USING GIN (heading)",
                postgresReindex(.headingsApart, writing: .overUnderLock),
                postgresAttachmentTrigger(deletingFrom: ["attachment_search", "attachment_search_headings"]),
            ]
        }
    }

    /// Migration 37: PostgreSQL's indexes of lexemes that carry their tenant (see above). The entries are
    /// not rewritten: the new index is built on the vectors there.
    static func searchIndexOfTenantLexemes(_ flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite:
            []
        case .postgres:
            [
                // `unnest` and `array_to_tsvector` are immutable; the index needs the function to be.
                """
                CREATE FUNCTION attache_search_lexemes(tenant BIGINT, vector tsvector) RETURNS tsvector
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                    SELECT array_to_tsvector(ARRAY(SELECT 't' || tenant::text || '_' || lexeme FROM unnest(vector)))
                $$
                """,
                "DROP INDEX attachment_search_document",
                "CREATE INDEX attachment_search_lexemes ON attachment_search USING GIN (attache_search_lexemes(tenant_id, document))",
                "DROP TABLE attachment_search_headings",
                "CREATE TABLE attachment_search_headings (attachment_id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, heading tsvector NOT NULL)",
                "INSERT INTO attachment_search_headings (attachment_id, tenant_id, heading) SELECT attachment_id, tenant_id, heading FROM attachment_search",
                "CREATE INDEX attachment_search_headings_lexemes ON attachment_search_headings USING GIN (attache_search_lexemes(tenant_id, heading))",
                postgresReindex(.tenantLexemes, writing: .overUnderLock),
            ]
        }
    }

    /// Migration 38: SQLite's entries keyed by their tenant (see above), made again from the rows. On
    /// both engines, an attachment's entry is made again only when a column it reads changes.
    static func searchIndexOfTenantKeys(_ flavor: SQLFlavor) -> [String] {
        switch flavor {
        case .sqlite:
            [
                "DROP TRIGGER attachment_search_insert", "DROP TRIGGER attachment_search_update", "DROP TRIGGER attachment_search_delete",
                "DROP TRIGGER attachment_search_file", "DROP TRIGGER attachment_search_record", "DROP TABLE attachment_search",
                """
                CREATE VIRTUAL TABLE attachment_search USING fts5(
                    name, description, title, reference, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')
                """,
            ] + sqliteKeyedTriggers + [
                """
                INSERT INTO attachment_search (rowid, name, description, title, reference, body)
                SELECT \(sqliteSearchKey(tenant: "a.tenant_id", attachment: "a.id")), \(sqliteKeyedEntry(attachment: "a"))
                FROM attachments a JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id
                """,
                "INSERT INTO attachment_search (attachment_search) VALUES ('optimize')",
            ]
        case .postgres:
            [
                "DROP TRIGGER attachment_search_on_attachment ON attachments",
                """
                CREATE TRIGGER attachment_search_on_attachment
                AFTER INSERT OR DELETE OR UPDATE OF tenant_id, record_id, file_id, description ON attachments
                FOR EACH ROW EXECUTE FUNCTION attachment_search_on_attachment()
                """,
            ]
        }
    }

    /// Bits of an SQLite entry's key that hold its attachment's id (``sqliteSearchKey(tenant:attachment:)``).
    static let sqliteSearchKeyAttachmentBits: Int64 = 40

    /// The key of an SQLite entry since migration 38, as SQL, of the SQL expressions of its tenant's id
    /// and its attachment's: the tenant's in the high bits, the attachment's in the low 40. Row ids are
    /// positive, below 2^40 (attachments) and 2^23 (tenants), which the trigger that makes an entry checks.
    static func sqliteSearchKey(tenant: String, attachment: String) -> String {
        "((\(tenant) << \(sqliteSearchKeyAttachmentBits)) | \(attachment))"
    }

    /// The largest attachment id an SQLite entry's key holds, and the mask of its bits.
    private static let sqliteSearchKeyAttachmentMask: Int64 = (1 << sqliteSearchKeyAttachmentBits) - 1

    /// The attachment's id in the SQLite entry key `key` (an SQL expression) since migration 38.
    static func sqliteSearchKeyAttachment(_ key: String) -> String {
        "(\(key) & \(sqliteSearchKeyAttachmentMask))"
    }

    /// The range of keys of a tenant's SQLite entries since migration 38.
    static func sqliteSearchKeys(ofTenant tenantID: Int64) -> ClosedRange<Int64> {
        let first = tenantID << sqliteSearchKeyAttachmentBits
        return first...(first | sqliteSearchKeyAttachmentMask)
    }

    /// The columns of an SQLite entry since migration 38 of the attachment row `attachment`, its file `f`
    /// and its record `r`: name, description, title, reference (with the external identifier), text.
    private static func sqliteKeyedEntry(attachment: String) -> String {
        """
        f.name, COALESCE(\(attachment).description, ''), COALESCE(r.title, ''), r.reference || ' ' || COALESCE(r.external_identifier, ''),
        \(sqliteContentText)
        """
    }

    /// The triggers that keep SQLite's entries since migration 38. An attachment's entry is made again
    /// only when a column it reads changes.
    private static var sqliteKeyedTriggers: [String] {
        let newKey = sqliteSearchKey(tenant: "NEW.tenant_id", attachment: "NEW.id")
        let oldKey = sqliteSearchKey(tenant: "OLD.tenant_id", attachment: "OLD.id")
        let attachmentKey = sqliteSearchKey(tenant: "a.tenant_id", attachment: "a.id")
        let limits = "NEW.id > \(sqliteSearchKeyAttachmentMask) OR NEW.tenant_id >= \(Int64(1) << (63 - sqliteSearchKeyAttachmentBits))"
        let entry = """
            SELECT RAISE(ABORT, 'an id beyond the search index''s keys') WHERE \(limits);
                INSERT INTO attachment_search (rowid, name, description, title, reference, body)
                SELECT \(newKey), \(sqliteKeyedEntry(attachment: "NEW")) FROM files f, records r WHERE f.id = NEW.file_id AND r.id = NEW.record_id;
            """
        return [
            """
            CREATE TRIGGER attachment_search_insert AFTER INSERT ON attachments BEGIN
                \(entry)
            END
            """,
            """
            CREATE TRIGGER attachment_search_update AFTER UPDATE OF tenant_id, record_id, file_id, description ON attachments BEGIN
                DELETE FROM attachment_search WHERE rowid = \(oldKey);
                \(entry)
            END
            """,
            "CREATE TRIGGER attachment_search_delete AFTER DELETE ON attachments BEGIN DELETE FROM attachment_search WHERE rowid = \(oldKey); END",
            """
            CREATE TRIGGER attachment_search_file AFTER UPDATE OF name ON files BEGIN
                UPDATE attachment_search SET name = NEW.name WHERE rowid IN (SELECT \(attachmentKey) FROM attachments a WHERE a.file_id = NEW.id);
            END
            """,
            """
            CREATE TRIGGER attachment_search_record AFTER UPDATE OF title, reference, external_identifier ON records BEGIN
                UPDATE attachment_search SET title = COALESCE(NEW.title, ''), reference = NEW.reference || ' ' || COALESCE(NEW.external_identifier, '')
                WHERE rowid IN (SELECT \(attachmentKey) FROM attachments a WHERE a.record_id = NEW.id);
            END
            """,
        ]
    }

    /// A query term of the PostgreSQL index since migration 37: `lexeme` as the tenant's
    /// (``searchIndexOfTenantLexemes(_:)``), quoted as `tsquery` input reads it.
    static func postgresTenantTerm(_ tenantID: Int64, lexeme: String) -> String {
        postgresQuoted("t\(tenantID)_" + lexeme)
    }

    /// `lexeme` quoted as `tsquery` input reads one: in single quotes, a quote or backslash escaped by a backslash.
    static func postgresQuoted(_ lexeme: String) -> String {
        var quoted = "'"
        for character in lexeme {
            if character == "'" || character == "\\" { quoted.append("\\") }
            quoted.append(character)
        }
        return quoted + "'"
    }

    /// The lexeme of the tenant whose id is `expression`, as a `tsvector`, since migration 36: it begins
    /// with `=`, so no query term (letters and digits) matches it, even as a prefix.
    static func postgresTenantLexeme(_ expression: String) -> String {
        "('=tenant' || \(expression))::tsvector"
    }

    /// The function of the trigger on attachments: reindexes an attachment made or changed, and deletes
    /// a deleted one's rows from `tables`.
    private static func postgresAttachmentTrigger(deletingFrom tables: [String]) -> String {
        let deletes = tables.map { "DELETE FROM \($0) WHERE attachment_id = OLD.id;" }.joined(separator: "\n        ")
        return """
            CREATE OR REPLACE FUNCTION attachment_search_on_attachment() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    \(deletes)
                    RETURN OLD;
                END IF;
                PERFORM attachment_search_reindex(ARRAY[NEW.id]);
                RETURN NEW;
            END
            $$
            """
    }

    /// Characters of a content's text PostgreSQL indexes.
    static let postgresBodyLength = 300_000

    private static let sqliteContentText = "COALESCE((SELECT d.text FROM derived_texts d WHERE d.tenant_id = f.tenant_id AND d.sha256 = f.sha256), '')"

    /// The triggers that make an attachment's entry, with `body` as its text.
    private static func sqliteEntryTriggers(body: String) -> [String] {
        let entry = """
            SELECT NEW.id, 't' || NEW.tenant_id, f.name, COALESCE(NEW.description, ''), COALESCE(r.title, ''),
                   r.reference || ' ' || COALESCE(r.external_identifier, ''), \(body)
            FROM files f, records r WHERE f.id = NEW.file_id AND r.id = NEW.record_id;
            """
        return [
            """
            CREATE TRIGGER attachment_search_insert AFTER INSERT ON attachments BEGIN
                INSERT INTO attachment_search (rowid, tenant, name, description, title, reference, body) \(entry)
            END
            """,
            """
            CREATE TRIGGER attachment_search_update AFTER UPDATE ON attachments BEGIN
                DELETE FROM attachment_search WHERE rowid = OLD.id;
                INSERT INTO attachment_search (rowid, tenant, name, description, title, reference, body) \(entry)
            END
            """,
        ]
    }

    private static let sqliteSearchIndex = [
        """
        CREATE VIRTUAL TABLE attachment_search USING fts5(
            tenant, name, description, title, reference, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')
        """
    ] + sqliteEntryTriggers(body: "''") + [
        """
        CREATE TRIGGER attachment_search_delete AFTER DELETE ON attachments BEGIN
            DELETE FROM attachment_search WHERE rowid = OLD.id;
        END
        """,
        """
        CREATE TRIGGER attachment_search_file AFTER UPDATE OF name ON files BEGIN
            UPDATE attachment_search SET name = NEW.name WHERE rowid IN (SELECT id FROM attachments WHERE file_id = NEW.id);
        END
        """,
        """
        CREATE TRIGGER attachment_search_record AFTER UPDATE OF title, reference, external_identifier ON records BEGIN
            UPDATE attachment_search SET title = COALESCE(NEW.title, ''), reference = NEW.reference || ' ' || COALESCE(NEW.external_identifier, '')
            WHERE rowid IN (SELECT id FROM attachments WHERE record_id = NEW.id);
        END
        """,
        """
        INSERT INTO attachment_search (rowid, tenant, name, description, title, reference, body)
        SELECT a.id, 't' || a.tenant_id, f.name, COALESCE(a.description, ''), COALESCE(r.title, ''),
               r.reference || ' ' || COALESCE(r.external_identifier, ''), ''
        FROM attachments a JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id
        """,
    ]

    /// Words split at spaces and punctuation, for the index.
    private static func postgresWords(_ expression: String) -> String {
        "to_tsvector('attache_search', regexp_replace(\(expression), '[[:space:][:punct:]]+', ' ', 'g'))"
    }

    private static let postgresSearchIndex = [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        "CREATE TEXT SEARCH CONFIGURATION attache_search (COPY = pg_catalog.simple)",
        "ALTER TEXT SEARCH CONFIGURATION attache_search ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
        """
        CREATE TABLE attachment_search (
            attachment_id BIGINT PRIMARY KEY, tenant_id BIGINT NOT NULL, document tsvector NOT NULL, body TEXT NOT NULL DEFAULT '')
        """,
        "CREATE INDEX attachment_search_document ON attachment_search USING GIN (document)",
        postgresReindex(.names),
        postgresAttachmentTrigger(deletingFrom: ["attachment_search"]),
        """
        CREATE TRIGGER attachment_search_on_attachment AFTER INSERT OR UPDATE OR DELETE ON attachments
        FOR EACH ROW EXECUTE FUNCTION attachment_search_on_attachment()
        """,
        """
        CREATE FUNCTION attachment_search_on_file() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM attachment_search_reindex(ARRAY(SELECT id FROM attachments WHERE file_id = NEW.id));
            RETURN NEW;
        END
        $$
        """,
        "CREATE TRIGGER attachment_search_on_file AFTER UPDATE OF name ON files FOR EACH ROW EXECUTE FUNCTION attachment_search_on_file()",
        """
        CREATE FUNCTION attachment_search_on_record() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM attachment_search_reindex(ARRAY(SELECT id FROM attachments WHERE record_id = NEW.id));
            RETURN NEW;
        END
        $$
        """,
        """
        CREATE TRIGGER attachment_search_on_record AFTER UPDATE OF title, reference, external_identifier ON records
        FOR EACH ROW EXECUTE FUNCTION attachment_search_on_record()
        """,
        "SELECT attachment_search_reindex(ARRAY(SELECT id FROM attachments))",
    ]

    /// What an entry of the PostgreSQL index holds, by the migration that made its function.
    enum PostgresEntry {
        /// Migration 24: the tenant and the weighted fields.
        case names
        /// Migration 25: and the content's text.
        case contentText
        /// Migration 27: and the weighted fields apart, in `heading`.
        case heading
        /// Migration 36: the tenant's lexeme that no word matches, and the heading also in
        /// `attachment_search_headings`.
        case headingsApart
        /// Migration 37: no tenant's lexeme (the indexes carry the tenant in every lexeme), and the
        /// headings' copy with its tenant.
        case tenantLexemes
    }

    /// The weighted fields of an attachment `a` of file `f` in record `r`: the name (A), the record's
    /// title, reference and external identifier (B), the description (C).
    private static let postgresHeading = """
        setweight(\(postgresWords("f.name")), 'A')
                   || setweight(\(postgresWords("COALESCE(r.title, '') || ' ' || r.reference || ' ' || COALESCE(r.external_identifier, '')")), 'B')
                   || setweight(\(postgresWords("COALESCE(a.description, '')")), 'C')
        """

    /// How the function writes an entry: deleting and inserting (migrations 24 to 27), or under the
    /// attachments' row locks over the one there (migration 34, which concurrent reindexing needs).
    enum PostgresWrite {
        case deleteAndInsert
        case overUnderLock
    }

    /// The function that (re)makes the entries of attachments `ids`, as `entry` holds them.
    private static func postgresReindex(_ entry: PostgresEntry, writing: PostgresWrite = .deleteAndInsert) -> String {
        let text = entry != .names
        let (body, join) =
            text
            ? ("\n               || strip(\(postgresWords("left(COALESCE(d.text, ''), \(postgresBodyLength))")))",
               "\n             LEFT JOIN derived_texts d ON d.tenant_id = f.tenant_id AND d.sha256 = f.sha256")
            : ("", "")
        let hasHeading = entry == .heading || entry == .headingsApart || entry == .tenantLexemes
        let (headingColumn, heading) = hasHeading ? (", heading", ",\n                       \(postgresHeading)") : ("", "")
        let (delete, conflict) =
            switch writing {
            case .deleteAndInsert: ("DELETE FROM attachment_search WHERE attachment_id = ANY(ids);", "")
            case .overUnderLock:
                ("SELECT count(*) FROM (SELECT id FROM attachments WHERE id = ANY(ids) ORDER BY id FOR UPDATE) locked;", "\n            ON CONFLICT (attachment_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, document = EXCLUDED.document"
                    + (hasHeading ? ", heading = EXCLUDED.heading" : ""))
            }
        let tenant =
            switch entry {
            case .names, .contentText, .heading: "('tenant=' || a.tenant_id)::tsvector\n           || "
            case .headingsApart: postgresTenantLexeme("a.tenant_id") + "\n           || "
            case .tenantLexemes: ""
            }
        // The copy of the headings is written from the entries just written (each statement of the
        // function sees what the one before it wrote), under the same locks.
        let headings =
            switch entry {
            case .names, .contentText, .heading: ""
            case .headingsApart:
                """

                    INSERT INTO attachment_search_headings (attachment_id, heading)
                    SELECT attachment_id, \(postgresTenantLexeme("tenant_id")) || heading FROM attachment_search WHERE attachment_id = ANY(ids)
                    ON CONFLICT (attachment_id) DO UPDATE SET heading = EXCLUDED.heading;
                """
            case .tenantLexemes:
                """

                    INSERT INTO attachment_search_headings (attachment_id, tenant_id, heading)
                    SELECT attachment_id, tenant_id, heading FROM attachment_search WHERE attachment_id = ANY(ids)
                    ON CONFLICT (attachment_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, heading = EXCLUDED.heading;
                """
            }
        return """
            CREATE OR REPLACE FUNCTION attachment_search_reindex(ids BIGINT[]) RETURNS void LANGUAGE sql AS $$
                \(delete)
                INSERT INTO attachment_search (attachment_id, tenant_id, document\(headingColumn))
                SELECT a.id, a.tenant_id,
                       \(tenant)\(postgresHeading)\(body)\(heading)
                FROM attachments a JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id\(join)
                WHERE a.id = ANY(ids)\(conflict);\(headings)
            $$
            """
    }
}
