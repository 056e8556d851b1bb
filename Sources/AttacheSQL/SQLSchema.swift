import AttacheCore
import Foundation
import SQLKit

/// The versioned schema of the metadata store. Each migration runs once, in order, in its own transaction.
///
/// Lists use keyset pagination on `id`, and every list query has an index that starts with `tenant_id`,
/// so a page costs O(page size) whatever the table size.
enum SQLSchema {
    struct Migration: Sendable {
        var version: Int
        /// Whether the statements rebuild tables, so foreign keys are checked once at the end
        /// (see ``SQLDatabaseProvider/migrate(_:)``).
        var rebuildsTables = false
        /// Work SQL cannot do, run after the statements in the same transaction (filling a new
        /// column from a Swift function).
        var backfill: (@Sendable (SQLFlavor, any SQLDatabase) async throws -> Void)?
        var statements: @Sendable (SQLFlavor) -> [String]
    }

    /// Fills `records.title_key` for records written before it existed, a thousand rows a statement.
    @Sendable static func fillTitleKeys(_ flavor: SQLFlavor, in db: any SQLDatabase) async throws {
        var after: Int64 = 0
        while true {
            let rows = try await db.raw("""
                SELECT id, title FROM records WHERE id > \(bind: after) AND title IS NOT NULL ORDER BY id LIMIT 1000
                """).all()
            guard let last = rows.last else { return }
            for row in rows {
                let title = try row.decode(column: "title", as: String.self)
                try await db.raw("UPDATE records SET title_key = \(bind: TitleSearchKey.make(title)) WHERE id = \(bind: try row.decode(column: "id", as: Int64.self))").run()
            }
            after = try last.decode(column: "id", as: Int64.self)
        }
    }

    static let migrations: [Migration] = [
        Migration(version: 1) { flavor in
            let id = flavor == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
            return [
                """
                CREATE TABLE tenants (
                    id \(id), slug TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                    next_reference BIGINT NOT NULL, created_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE tokens (
                    id \(id), tenant_id BIGINT NOT NULL REFERENCES tenants(id),
                    scope TEXT NOT NULL, label TEXT, secret_hash TEXT NOT NULL UNIQUE,
                    created_at BIGINT NOT NULL, revoked_at BIGINT)
                """,
                "CREATE INDEX tokens_by_tenant ON tokens (tenant_id, id)",
                """
                CREATE TABLE records (
                    id \(id), uuid TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL REFERENCES tenants(id),
                    type TEXT NOT NULL, reference TEXT NOT NULL, external_identifier TEXT, title TEXT,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                    UNIQUE (tenant_id, reference), UNIQUE (tenant_id, type, external_identifier))
                """,
                "CREATE INDEX records_by_tenant ON records (tenant_id, id)",
                "CREATE INDEX records_by_tenant_type ON records (tenant_id, type, id)",
                """
                CREATE TABLE blobs (
                    tenant_id BIGINT NOT NULL REFERENCES tenants(id), sha256 TEXT NOT NULL,
                    size BIGINT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, sha256))
                """,
                """
                CREATE TABLE files (
                    id \(id), uuid TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL, name TEXT NOT NULL,
                    size BIGINT NOT NULL, mime_type TEXT NOT NULL, kind TEXT NOT NULL, sha256 TEXT NOT NULL,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                    FOREIGN KEY (tenant_id, sha256) REFERENCES blobs (tenant_id, sha256))
                """,
                "CREATE INDEX files_by_blob ON files (tenant_id, sha256)",
                "CREATE INDEX files_by_tenant ON files (tenant_id, id)",
                """
                CREATE TABLE attachments (
                    id \(id), uuid TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL,
                    record_id BIGINT NOT NULL REFERENCES records(id),
                    file_id BIGINT NOT NULL REFERENCES files(id),
                    description TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                    UNIQUE (record_id, file_id))
                """,
                "CREATE INDEX attachments_by_record ON attachments (tenant_id, record_id, id)",
                "CREATE INDEX attachments_by_file ON attachments (file_id)",
            ]
        },
        Migration(version: 2) { flavor in
            let id = flavor == .sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"
            return [
                "ALTER TABLE tokens ADD COLUMN expires_at BIGINT",
                """
                CREATE TABLE credentials (
                    id \(id), tenant_id BIGINT NOT NULL REFERENCES tenants(id), kind TEXT NOT NULL,
                    identifier TEXT NOT NULL, scope TEXT NOT NULL, secret_hash TEXT NOT NULL,
                    created_at BIGINT NOT NULL, UNIQUE (kind, identifier))
                """,
                """
                CREATE TABLE custom_fields (
                    id TEXT PRIMARY KEY, tenant_id BIGINT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
                    field_key TEXT NOT NULL, data_type TEXT NOT NULL, placeholder TEXT, position BIGINT NOT NULL,
                    model TEXT NOT NULL, accepted_formats TEXT NOT NULL, multiple_files BIGINT NOT NULL,
                    maximum_files BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
                """,
                "CREATE INDEX custom_fields_by_tenant ON custom_fields (tenant_id, position, id)",
                "ALTER TABLE attachments ADD COLUMN field_id TEXT",
                "ALTER TABLE attachments ADD COLUMN field_entry TEXT",
                "CREATE INDEX attachments_by_tenant ON attachments (tenant_id, id)",
            ]
        },
        // Blob lifecycle columns (see SQLMetadataStore+Blobs), and ids that SQLite never hands out twice.
        Migration(version: 3, rebuildsTables: true) { flavor in
            let now = Date().millisecondsSince1970
            var statements = [
                "ALTER TABLE blobs ADD COLUMN generation BIGINT NOT NULL DEFAULT 1",
                "ALTER TABLE blobs ADD COLUMN state TEXT NOT NULL DEFAULT 'stored'",
                "ALTER TABLE blobs ADD COLUMN released_at BIGINT",
                "ALTER TABLE blobs ADD COLUMN marked_at BIGINT",
                """
                UPDATE blobs SET released_at = \(now)
                WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.tenant_id = blobs.tenant_id AND f.sha256 = blobs.sha256)
                """,
                "CREATE INDEX blobs_released ON blobs (released_at) WHERE released_at IS NOT NULL",
                "CREATE INDEX blobs_deleting ON blobs (marked_at) WHERE state = 'deleting'",
            ]
            if flavor == .sqlite {
                statements += autoincrementRebuilds
            }
            return statements
        },
        // Tenant quotas (NULL: no limit).
        Migration(version: 4) { _ in
            [
                "ALTER TABLE tenants ADD COLUMN max_bytes BIGINT",
                "ALTER TABLE tenants ADD COLUMN max_files BIGINT",
            ]
        },
        // What the malware scanner said of each file's content (NULL: never scanned).
        Migration(version: 5) { _ in
            [
                "ALTER TABLE files ADD COLUMN scan_state TEXT",
                "ALTER TABLE files ADD COLUMN scan_signature TEXT",
            ]
        },
        // The audit trail. No foreign keys: events outlive what they name, and name it by public ids.
        Migration(version: 6) { flavor in
            let id = flavor == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return [
                """
                CREATE TABLE audit_events (
                    id \(id), tenant_id BIGINT NOT NULL, occurred_at BIGINT NOT NULL, action TEXT NOT NULL,
                    actor TEXT NOT NULL, record_uuid TEXT, file_id BIGINT, attachment_uuid TEXT, size BIGINT,
                    client_address TEXT, request_id TEXT, detail TEXT)
                """,
                "CREATE INDEX audit_events_by_tenant ON audit_events (tenant_id, id)",
                "CREATE INDEX audit_events_by_record ON audit_events (tenant_id, record_uuid, id) WHERE record_uuid IS NOT NULL",
                "CREATE INDEX audit_events_by_file ON audit_events (tenant_id, file_id, id) WHERE file_id IS NOT NULL",
                "CREATE INDEX audit_events_by_time ON audit_events (occurred_at)",
            ]
        },
        // Link signing keys shared by every node (hex secrets; NULL retired_at: the signing key).
        Migration(version: 7) { flavor in
            let id = flavor == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY"
            return ["CREATE TABLE signing_keys (id \(id), secret TEXT NOT NULL, created_at BIGINT NOT NULL, retired_at BIGINT)"]
        },
        // Leases of periodic jobs (gc), so one node of many runs each.
        Migration(version: 8) { _ in
            ["CREATE TABLE job_leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL)"]
        },
        // Resumable (tus) uploads and the staged parts of each; `concat`: NULL, 'partial' or
        // 'final:<uuid> <uuid> …'. The lock is a lease in the row, so it works across nodes; its holder
        // registers the staging key it writes to, which gc's staged-content sweep keeps.
        Migration(version: 9) { _ in
            [
                """
                CREATE TABLE resumable_uploads (
                    id TEXT PRIMARY KEY, tenant_id BIGINT NOT NULL, length BIGINT, received BIGINT NOT NULL, metadata TEXT,
                    file_name TEXT NOT NULL, description TEXT, record_uuid TEXT, concat TEXT, created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL, state TEXT NOT NULL, file_id BIGINT, attachment_uuid TEXT, failure TEXT,
                    lock_holder TEXT, lock_until BIGINT, lock_staging_key TEXT)
                """,
                "CREATE INDEX resumable_uploads_by_expiry ON resumable_uploads (expires_at)",
                """
                CREATE TABLE resumable_parts (
                    upload_id TEXT NOT NULL, part_offset BIGINT NOT NULL, size BIGINT NOT NULL, staging_key TEXT NOT NULL,
                    PRIMARY KEY (upload_id, part_offset))
                """,
            ]
        },
        // A tenant's usage (the quota check in every upload's commit when a quota is set) reads the sizes
        // of its stored content from this index alone: over a million blobs, 1.2 s from the table rows,
        // 47 ms from the index (SQLite, measured in BENCHMARKS.md).
        Migration(version: 10) { _ in
            ["CREATE INDEX blobs_usage ON blobs (tenant_id, state, released_at, size)"]
        },
        // A sign-in's token names the credential that made it: the signed-in user is known (ONLYOFFICE's
        // authors), and revoking a credential ends its sessions.
        Migration(version: 11) { _ in
            [
                "ALTER TABLE tokens ADD COLUMN credential_id BIGINT",
                "CREATE INDEX tokens_by_credential ON tokens (credential_id)",
            ]
        },
        // Audit events name the file as it was called then (it outlives renames and deletion).
        Migration(version: 12) { _ in
            ["ALTER TABLE audit_events ADD COLUMN file_name TEXT"]
        },
        // Records are found by title too, whatever the case and accents: the folded title
        // (TitleSearchKey), filled for existing records in the same transaction.
        Migration(version: 13, backfill: SQLSchema.fillTitleKeys) { _ in
            [
                "ALTER TABLE records ADD COLUMN title_key TEXT",
                "CREATE INDEX records_by_title ON records (tenant_id, title_key, id)",
            ]
        },
        // Vendor credentials can be revoked; their sessions end with them.
        Migration(version: 14) { _ in
            ["ALTER TABLE credentials ADD COLUMN revoked_at BIGINT"]
        },
        // Records, files and attachments are numbered per tenant (NumberedTable); issued ids stay valid.
        Migration(version: 15, backfill: { flavor, db in try await flavor.startNumbering([.records, .files, .attachments], in: db) }) { flavor in
            flavor.numberingStatements([.records, .files, .attachments])
        },
        // So are audit events; their lists go by number.
        Migration(version: 16, backfill: { flavor, db in try await flavor.startNumbering([.auditEvents], in: db) }) { flavor in
            flavor.numberingStatements([.auditEvents]) + [
                "CREATE INDEX audit_events_by_record_number ON audit_events (tenant_id, record_uuid, number) WHERE record_uuid IS NOT NULL",
                "CREATE INDEX audit_events_by_file_number ON audit_events (tenant_id, file_id, number) WHERE file_id IS NOT NULL",
                "DROP INDEX audit_events_by_tenant",
                "DROP INDEX audit_events_by_record",
                "DROP INDEX audit_events_by_file",
            ]
        },
        // And tokens, which audit actors name.
        Migration(version: 17, backfill: { flavor, db in try await flavor.startNumbering([.tokens], in: db) }) { flavor in
            flavor.numberingStatements([.tokens])
        },
        // A content's CRC-32, for ZIP archives: set by uploads, and computed once for older content.
        Migration(version: 18) { _ in
            ["ALTER TABLE blobs ADD COLUMN crc32 BIGINT"]
        },
        // Share links: a hash of each token (and password), never the secret.
        Migration(version: 19) { _ in
            [
                """
                CREATE TABLE shares (
                    id TEXT PRIMARY KEY, tenant_id BIGINT NOT NULL REFERENCES tenants(id), kind TEXT NOT NULL,
                    record_uuid TEXT NOT NULL, attachment_uuid TEXT, token_hash TEXT NOT NULL UNIQUE, password_hash TEXT,
                    label TEXT, expires_at BIGINT, max_downloads BIGINT, downloads BIGINT NOT NULL,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, revoked_at BIGINT)
                """,
                "CREATE INDEX shares_by_record ON shares (tenant_id, record_uuid, created_at)",
                "CREATE INDEX shares_by_tenant ON shares (tenant_id, created_at)",
            ]
        },
        // What a tenant allows of share links (TenantSharePolicy); lifetimes in seconds.
        Migration(version: 20) { _ in
            [
                "ALTER TABLE tenants ADD COLUMN shares_disabled BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE tenants ADD COLUMN share_password_required BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE tenants ADD COLUMN share_max_lifetime BIGINT",
                "ALTER TABLE tenants ADD COLUMN share_default_lifetime BIGINT",
            ]
        },
        // Drop links: their limits and what they have taken so far.
        Migration(version: 21) { _ in
            [
                "ALTER TABLE shares ADD COLUMN max_files BIGINT",
                "ALTER TABLE shares ADD COLUMN max_bytes BIGINT",
                "ALTER TABLE shares ADD COLUMN files_received BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE shares ADD COLUMN bytes_received BIGINT NOT NULL DEFAULT 0",
            ]
        },
        // A resumable upload sent through a drop link names the link: only it reaches the upload, and
        // the finished file counts against its limits.
        Migration(version: 22) { _ in
            ["ALTER TABLE resumable_uploads ADD COLUMN drop_share TEXT"]
        },
        // Password attempts on share links per client address (PasswordGuessLimit), in the database so
        // every node counts the same attempts.
        Migration(version: 23) { _ in
            [
                """
                CREATE TABLE share_password_attempts (
                    share_id TEXT NOT NULL, client TEXT NOT NULL, attempts BIGINT NOT NULL, locked_until BIGINT,
                    updated_at BIGINT NOT NULL, PRIMARY KEY (share_id, client))
                """,
                "CREATE INDEX share_password_attempts_by_age ON share_password_attempts (updated_at)",
            ]
        },
        // Finding attachments by words (SQLSchema+Search).
        Migration(version: 24) { flavor in searchIndex(flavor) },
        // Derived work (SQLSchema+Derivation), and the search index reads the text it finds in content.
        Migration(version: 25) { flavor in derivedWork(flavor) + searchIndexOfContentText(flavor) },
        // A record's attachments in the order pages give them: without it, a page walked the tenant's
        // attachments by number until it had found the record's (15 ms at 100,000, spread out).
        Migration(version: 26) { _ in ["CREATE INDEX attachments_by_record_number ON attachments (tenant_id, record_id, number)"] },
        // PostgreSQL ranks hits on a small vector of the weighted fields (SQLSchema+Search).
        Migration(version: 27) { flavor in searchIndexRankedByHeading(flavor) },
        // The change feed (SQLMetadataStore+Events): events written with the changes' audit events,
        // numbered per tenant from a counter on the tenant's row.
        Migration(version: 28) { _ in
            [
                "ALTER TABLE tenants ADD COLUMN event_counter BIGINT NOT NULL DEFAULT 0",
                """
                CREATE TABLE change_events (
                    tenant_id BIGINT NOT NULL REFERENCES tenants(id), number BIGINT NOT NULL, type TEXT NOT NULL, occurred_at BIGINT NOT NULL,
                    actor TEXT NOT NULL, record_uuid TEXT, attachment_uuid TEXT, file_id BIGINT, file_name TEXT, size BIGINT, detail TEXT,
                    PRIMARY KEY (tenant_id, number))
                """,
                "CREATE INDEX change_events_by_time ON change_events (occurred_at)",
            ]
        },
        // Webhooks (SQLMetadataStore+Webhooks): endpoints, and a delivery per event and endpoint made
        // with the event. An endpoint's `next_start_at` paces its attempts over every node.
        Migration(version: 29) { _ in
            [
                """
                CREATE TABLE webhook_endpoints (
                    id TEXT PRIMARY KEY, tenant_id BIGINT NOT NULL REFERENCES tenants(id), url TEXT NOT NULL, event_types TEXT NOT NULL,
                    description TEXT, secret TEXT NOT NULL, previous_secret TEXT, previous_secret_expires_at BIGINT,
                    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, disabled_at BIGINT, disabled_reason TEXT,
                    next_start_at BIGINT NOT NULL DEFAULT 0)
                """,
                "CREATE INDEX webhook_endpoints_by_tenant ON webhook_endpoints (tenant_id, created_at)",
                """
                CREATE TABLE webhook_deliveries (
                    id TEXT PRIMARY KEY, endpoint_id TEXT NOT NULL, tenant_id BIGINT NOT NULL, event_number BIGINT NOT NULL,
                    event_type TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL, attempts BIGINT NOT NULL DEFAULT 0,
                    next_attempt_at BIGINT, holder TEXT, lease_end BIGINT, last_attempt_at BIGINT, last_status BIGINT, last_error TEXT,
                    delivered_at BIGINT, created_at BIGINT NOT NULL, UNIQUE (endpoint_id, event_number))
                """,
                // An endpoint's queue in event order, and its attempts in flight: a claim reads a few
                // rows of each however many wait (a scan of 26,000 pending rows took 5 ms a poll).
                "CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (endpoint_id, state, event_number)",
                "CREATE INDEX webhook_deliveries_leased ON webhook_deliveries (endpoint_id, lease_end)",
                "CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at)",
                "CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (created_at)",
            ]
        },
        // Versions (SQLMetadataStore+Versions): an attachment's row holds its current version's number,
        // author and time (NULL: its created_at); each earlier version is a row naming its file.
        Migration(version: 30) { _ in
            [
                "ALTER TABLE attachments ADD COLUMN version BIGINT NOT NULL DEFAULT 1",
                "ALTER TABLE attachments ADD COLUMN version_author TEXT",
                "ALTER TABLE attachments ADD COLUMN version_at BIGINT",
                """
                CREATE TABLE attachment_versions (
                    attachment_id BIGINT NOT NULL REFERENCES attachments(id), number BIGINT NOT NULL, tenant_id BIGINT NOT NULL,
                    file_id BIGINT NOT NULL REFERENCES files(id), author TEXT, created_at BIGINT NOT NULL,
                    PRIMARY KEY (attachment_id, number))
                """,
                "CREATE INDEX attachment_versions_by_file ON attachment_versions (file_id)",
                // A resumable upload that becomes a new version names its attachment and the content it must still show.
                "ALTER TABLE resumable_uploads ADD COLUMN version_of TEXT",
                "ALTER TABLE resumable_uploads ADD COLUMN version_sha256 TEXT",
                // Version retention (TenantVersionPolicy): versions kept per attachment, and the oldest in seconds.
                "ALTER TABLE tenants ADD COLUMN versions_keep BIGINT",
                "ALTER TABLE tenants ADD COLUMN versions_max_age BIGINT",
                "CREATE INDEX attachment_versions_by_tenant ON attachment_versions (tenant_id, attachment_id, number)",
            ]
        },
        // Categories (SQLMetadataStore+Categories) with their retention rules; an attachment's category
        // and tags (`,a,b,`: each tag found by LIKE '%,tag,%').
        Migration(version: 31) { _ in
            [
                """
                CREATE TABLE categories (
                    tenant_id BIGINT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL, description TEXT, retention_days BIGINT,
                    retention_from TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (tenant_id, name))
                """,
                "ALTER TABLE attachments ADD COLUMN category TEXT",
                "ALTER TABLE attachments ADD COLUMN tags TEXT",
                "CREATE INDEX attachments_by_category ON attachments (tenant_id, category)",
            ]
        },
        // Retention (SQLMetadataStore+Retention): the date an `expiresOn` rule counts from, and legal holds.
        Migration(version: 32) { _ in
            [
                "ALTER TABLE attachments ADD COLUMN expires_on BIGINT",
                "ALTER TABLE attachments ADD COLUMN legal_hold BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE records ADD COLUMN legal_hold BIGINT NOT NULL DEFAULT 0",
            ]
        },
        // A resumable upload's category and tags, which its attachment gets when it is stored.
        Migration(version: 33) { _ in
            [
                "ALTER TABLE resumable_uploads ADD COLUMN category TEXT",
                "ALTER TABLE resumable_uploads ADD COLUMN tags TEXT",
            ]
        },
        // PostgreSQL's search entries are written over the old ones, so concurrent reindexing of one
        // attachment cannot fail on a duplicate key (SQLSchema+Search).
        Migration(version: 34) { flavor in searchIndexWrittenOver(flavor) },
        // Two-phase key rotation (SQLMetadataStore+SigningKeys): when a key starts signing; NULL for
        // keys stored before, which signed from their creation.
        Migration(version: 35) { _ in ["ALTER TABLE signing_keys ADD COLUMN signs_from BIGINT"] },
        // PostgreSQL's search: a tenant lexeme no word matches, and the headings ranked apart from the
        // entries' text (SQLSchema+Search).
        Migration(version: 36) { flavor in searchIndexHeadingsApart(flavor) },
        // PostgreSQL's search indexes lexemes that carry their tenant (SQLSchema+Search).
        Migration(version: 37) { flavor in searchIndexOfTenantLexemes(flavor) },
        // SQLite's search entries keyed by their tenant, which bounds every query (SQLSchema+Search).
        Migration(version: 38) { flavor in searchIndexOfTenantKeys(flavor) },
    ]

    /// SQLite gives a new row the largest rowid plus one, so the id of the newest row comes back after
    /// that row is deleted; `AUTOINCREMENT` never hands an id out twice. (PostgreSQL sequences never do.)
    /// SQLite cannot add it to a table, so each table with a public id is rebuilt.
    static let autoincrementRebuilds: [String] = [
        rebuild(
            "tokens",
            columns: """
                tenant_id BIGINT NOT NULL REFERENCES tenants(id), scope TEXT NOT NULL, label TEXT, secret_hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL, revoked_at BIGINT, expires_at BIGINT
                """,
            names: "tenant_id, scope, label, secret_hash, created_at, revoked_at, expires_at",
            indexes: ["CREATE INDEX tokens_by_tenant ON tokens (tenant_id, id)"]
        ),
        rebuild(
            "credentials",
            columns: """
                tenant_id BIGINT NOT NULL REFERENCES tenants(id), kind TEXT NOT NULL, identifier TEXT NOT NULL, scope TEXT NOT NULL,
                secret_hash TEXT NOT NULL, created_at BIGINT NOT NULL, UNIQUE (kind, identifier)
                """,
            names: "tenant_id, kind, identifier, scope, secret_hash, created_at",
            indexes: []
        ),
        rebuild(
            "records",
            columns: """
                uuid TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL REFERENCES tenants(id), type TEXT NOT NULL, reference TEXT NOT NULL,
                external_identifier TEXT, title TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                UNIQUE (tenant_id, reference), UNIQUE (tenant_id, type, external_identifier)
                """,
            names: "uuid, tenant_id, type, reference, external_identifier, title, created_at, updated_at",
            indexes: [
                "CREATE INDEX records_by_tenant ON records (tenant_id, id)",
                "CREATE INDEX records_by_tenant_type ON records (tenant_id, type, id)",
            ]
        ),
        rebuild(
            "files",
            columns: """
                uuid TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL, name TEXT NOT NULL, size BIGINT NOT NULL, mime_type TEXT NOT NULL,
                kind TEXT NOT NULL, sha256 TEXT NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                FOREIGN KEY (tenant_id, sha256) REFERENCES blobs (tenant_id, sha256)
                """,
            names: "uuid, tenant_id, name, size, mime_type, kind, sha256, created_at, updated_at",
            indexes: [
                "CREATE INDEX files_by_blob ON files (tenant_id, sha256)",
                "CREATE INDEX files_by_tenant ON files (tenant_id, id)",
            ]
        ),
        rebuild(
            "attachments",
            columns: """
                uuid TEXT NOT NULL UNIQUE, tenant_id BIGINT NOT NULL, record_id BIGINT NOT NULL REFERENCES records(id),
                file_id BIGINT NOT NULL REFERENCES files(id), description TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
                field_id TEXT, field_entry TEXT, UNIQUE (record_id, file_id)
                """,
            names: "uuid, tenant_id, record_id, file_id, description, created_at, updated_at, field_id, field_entry",
            indexes: [
                "CREATE INDEX attachments_by_record ON attachments (tenant_id, record_id, id)",
                "CREATE INDEX attachments_by_file ON attachments (file_id)",
                "CREATE INDEX attachments_by_tenant ON attachments (tenant_id, id)",
            ]
        ),
    ].flatMap { $0 }

    /// The statements that rebuild `table` with an `AUTOINCREMENT` id, keeping its rows and ids.
    private static func rebuild(_ table: String, columns: String, names: String, indexes: [String]) -> [String] {
        [
            "CREATE TABLE \(table)_rebuilt (id INTEGER PRIMARY KEY AUTOINCREMENT, \(columns))",
            "INSERT INTO \(table)_rebuilt (id, \(names)) SELECT id, \(names) FROM \(table)",
            "DROP TABLE \(table)",
            "ALTER TABLE \(table)_rebuilt RENAME TO \(table)",
        ] + indexes
    }

    /// The highest version this build knows.
    static var latestVersion: Int { migrations.last?.version ?? 0 }
}
