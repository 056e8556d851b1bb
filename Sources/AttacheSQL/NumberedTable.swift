import SQLKit

/// A table whose rows carry a number clients see: ``AttacheCore/Record/id``, ``AttacheCore/StoredFile/id``,
/// ``AttacheCore/Attachment/id`` (the integer ids of the native API, Bloxs and ONLYOFFICE),
/// ``AttacheCore/AuditEvent/id`` (the audit trail's) and ``AttacheCore/AccessToken/id`` (which audit
/// actors name: a session token per vendor sign-in would otherwise count every tenant's sign-ins).
///
/// Numbers are drawn per tenant, so a tenant's numbers say nothing of another tenant's volume. Rows keep
/// a global primary key (`id`) for the store's own joins and foreign keys, which never leaves the store;
/// `number` is unique per tenant, never handed out twice, and stays within the 32-bit ids ONLYOFFICE's
/// clients read for as long as a tenant keeps under two billion rows of a kind. Ids issued before
/// numbers existed (migrations 15 to 17) stay valid: each row's number is its old id, and every
/// tenant's numbering goes on above every id issued until then.
///
/// SQLite keeps a tenant's next numbers in its `tenants` row: its write transactions run one at a time,
/// so the row costs nothing. PostgreSQL draws them from a sequence per tenant and table, outside the
/// transaction's locks, so a tenant's concurrent uploads do not queue on one row; a transaction that
/// rolls back leaves a gap, which is harmless.
enum NumberedTable: String, CaseIterable, Sendable {
    case records
    case files
    case attachments
    case auditEvents = "audit_events"
    case tokens

    /// The `tenants` column holding the next number (SQLite).
    var counterColumn: String {
        switch self {
        case .records: "next_record_number"
        case .files: "next_file_number"
        case .attachments: "next_attachment_number"
        case .auditEvents: "next_audit_number"
        case .tokens: "next_token_number"
        }
    }

    /// The tenant's sequence (PostgreSQL); the name is made of a table name and an integer only.
    func sequence(tenantID: Int64) -> String { "\(rawValue)_numbers_\(tenantID)" }
}

extension SQLFlavor {
    /// The engine `db` speaks (for code handed only a database, such as ``SQLMetadataStore/writeAuditEvents(_:in:)``).
    init(of db: any SQLDatabase) {
        self = db.dialect.name == "postgresql" ? .postgres : .sqlite
    }

    /// The next number of a row of `table` for the tenant.
    func nextNumber(in table: NumberedTable, tenantID: Int64, in db: any SQLDatabase) async throws -> Int64 {
        guard let number = try await nextNumbers(count: 1, in: table, tenantID: tenantID, in: db).first else {
            throw SQLStoreError.missingReturnedRow(statement: "next number of \(table.rawValue)")
        }
        return number
    }

    /// The next `count` numbers of rows of `table` for the tenant, in order.
    func nextNumbers(count: Int, in table: NumberedTable, tenantID: Int64, in db: any SQLDatabase) async throws -> [Int64] {
        guard count > 0 else { return [] }
        switch self {
        case .sqlite:
            let first = try await db.raw("""
                UPDATE tenants SET \(unsafeRaw: table.counterColumn) = \(unsafeRaw: table.counterColumn) + \(bind: count)
                WHERE id = \(bind: tenantID) RETURNING \(unsafeRaw: table.counterColumn) - \(bind: count) AS number
                """).first()
            guard let first else { throw SQLStoreError.missingReturnedRow(statement: "next numbers of \(table.rawValue)") }
            let start = try first.int64("number")
            return (0..<Int64(count)).map { start + $0 }
        case .postgres:
            return try await db.raw("""
                SELECT nextval(\(bind: table.sequence(tenantID: tenantID))::regclass) AS number FROM generate_series(1, \(bind: count))
                """).all().map { try $0.int64("number") }
        }
    }

    /// Creates a new tenant's numbering: its sequences on PostgreSQL (SQLite's counters start at 1 by default).
    func createNumbering(tenantID: Int64, in db: any SQLDatabase) async throws {
        guard self == .postgres else { return }
        for table in NumberedTable.allCases {
            try await db.raw("CREATE SEQUENCE \(unsafeRaw: table.sequence(tenantID: tenantID))").run()
        }
    }

    /// A migration's statements that number `tables`: the `number` of every row is its id, and each
    /// tenant's numbering starts above every id issued so far — SQLite's in counters from `sqlite_sequence`
    /// (which remembers ids of deleted rows too); PostgreSQL's sequences are made by ``startNumbering(_:in:)``.
    func numberingStatements(_ tables: [NumberedTable]) -> [String] {
        var statements: [String] = []
        for table in tables {
            statements += [
                "ALTER TABLE \(table.rawValue) ADD COLUMN number BIGINT",
                "UPDATE \(table.rawValue) SET number = id",
                "CREATE UNIQUE INDEX \(table.rawValue)_by_number ON \(table.rawValue) (tenant_id, number)",
            ]
            if self == .sqlite {
                statements += [
                    "ALTER TABLE tenants ADD COLUMN \(table.counterColumn) BIGINT NOT NULL DEFAULT 1",
                    """
                    UPDATE tenants SET \(table.counterColumn) = 1 + MAX(
                        COALESCE((SELECT MAX(seq) FROM sqlite_sequence WHERE name = '\(table.rawValue)'), 0),
                        COALESCE((SELECT MAX(id) FROM \(table.rawValue)), 0))
                    """,
                ]
            }
        }
        return statements
    }

    /// A numbering migration's PostgreSQL part: a sequence per tenant for each of `tables`, starting above
    /// the table's own id sequence (which never hands an id out twice).
    func startNumbering(_ tables: [NumberedTable], in db: any SQLDatabase) async throws {
        guard self == .postgres else { return }
        let tenants = try await db.raw("SELECT id FROM tenants").all().map { try $0.int64("id") }
        for table in tables {
            let issued = try await db.raw("SELECT last_value FROM \(unsafeRaw: table.rawValue)_id_seq").first()?.int64("last_value") ?? 0
            for tenant in tenants {
                try await db.raw("CREATE SEQUENCE \(unsafeRaw: table.sequence(tenantID: tenant)) START WITH \(literal: issued + 1)").run()
            }
        }
    }
}
