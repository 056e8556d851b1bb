import SQLKit

/// The versioned schema of the metadata store. Each migration runs once, in order, in its own transaction.
///
/// Lists use keyset pagination on `id`, and every list query has an index that starts with `tenant_id`,
/// so a page costs O(page size) whatever the table size.
enum SQLSchema {
    struct Migration: Sendable {
        var version: Int
        var statements: @Sendable (SQLFlavor) -> [String]
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
    ]

    /// The highest version this build knows.
    static var latestVersion: Int { migrations.last?.version ?? 0 }
}
