import AttacheCore
import SQLKit

/// Column lists and row decoding shared by the queries of ``SQLMetadataStore``.
enum SQLColumns {
    static let tenant = "id, slug, name, created_at, max_bytes, max_files, \(sharePolicy(of: nil))"

    /// The share policy's columns of a `tenants` row, as ``SQLRow/sharePolicy(prefix:)`` reads them:
    /// plain, or of the table aliased `alias` and renamed `tenant_…`.
    static func sharePolicy(of alias: String?) -> String {
        ["shares_disabled", "share_password_required", "share_max_lifetime", "share_default_lifetime", "versions_keep", "versions_max_age"].map { column in
            alias.map { "\($0).\(column) AS tenant_\(column)" } ?? column
        }.joined(separator: ", ")
    }
    static let token = "number AS id, tenant_id, scope, label, created_at, revoked_at, expires_at"
    /// A token (`t`) with the credential that signed in for it (`c`, left-joined on `credential_id`).
    static let tokenWithSignIn = """
        t.number AS id, t.tenant_id, t.scope, t.label, t.created_at, t.revoked_at, t.expires_at,
        t.credential_id, c.kind AS signin_kind, c.identifier AS signin_identifier
        """
    static let credential = "id, tenant_id, kind, identifier, scope, created_at, revoked_at"
    static let customField = """
        id, tenant_id, name, field_key, data_type, placeholder, position, model, accepted_formats, multiple_files,
        maximum_files, created_at, updated_at
        """
    /// An attachment row's own columns; its record's and file's numbers come from the caller or a join
    /// (``SQLRow/attachment(record:file:)``).
    static let attachment = "number AS id, uuid, tenant_id, description, field_id, field_entry, created_at, updated_at, version, category, tags, expires_on, legal_hold"
    static let record = "number AS id, uuid, tenant_id, type, reference, external_identifier, title, created_at, updated_at, legal_hold"
    static let file = "number AS id, uuid, tenant_id, name, size, mime_type, kind, sha256, created_at, updated_at, scan_state, scan_signature"

    /// Attachment, file and record columns under the prefixes `a_`, `f_` and `r_`, ids as the tenant's
    /// numbers (``NumberedTable``).
    static let attachedFile = """
        a.number AS a_id, a.uuid AS a_uuid, a.tenant_id AS a_tenant_id, r.number AS a_record_id, f.number AS a_file_id,
        a.description AS a_description, a.field_id AS a_field_id, a.field_entry AS a_field_entry,
        a.created_at AS a_created_at, a.updated_at AS a_updated_at, a.version AS a_version, a.category AS a_category, a.tags AS a_tags,
        a.expires_on AS a_expires_on, a.legal_hold AS a_legal_hold,
        """ + prefixedFile + """
        ,
        r.number AS r_id, r.uuid AS r_uuid, r.tenant_id AS r_tenant_id, r.type AS r_type, r.reference AS r_reference,
        r.external_identifier AS r_external_identifier, r.title AS r_title, r.created_at AS r_created_at,
        r.updated_at AS r_updated_at, r.legal_hold AS r_legal_hold
        """
    /// A tenant's usage and quota, selected from its `tenants` row: content bytes (each stored content
    /// once, as stored), files, and the limits.
    static let usage = """
        CAST((SELECT COALESCE(SUM(size), 0) FROM blobs
              WHERE tenant_id = tenants.id AND state = 'stored' AND released_at IS NULL) AS BIGINT) AS used_bytes,
        (SELECT COUNT(*) FROM files WHERE tenant_id = tenants.id) AS used_files, max_bytes, max_files
        """

    /// A file's columns under the prefix `f_` (the table aliased `f`).
    static let prefixedFile = """
        f.number AS f_id, f.uuid AS f_uuid, f.tenant_id AS f_tenant_id, f.name AS f_name, f.size AS f_size,
        f.mime_type AS f_mime_type, f.kind AS f_kind, f.sha256 AS f_sha256, f.created_at AS f_created_at,
        f.updated_at AS f_updated_at, f.scan_state AS f_scan_state, f.scan_signature AS f_scan_signature
        """

    static let attachedFileJoin = "attachments a JOIN files f ON f.id = a.file_id JOIN records r ON r.id = a.record_id"
}

extension SQLRow {
    func tenant() throws -> Tenant {
        Tenant(
            id: try int64("id"), slug: try string("slug"), name: try string("name"), createdAt: try date("created_at"),
            quota: try quota(maximumBytes: "max_bytes", maximumFiles: "max_files"), sharePolicy: try sharePolicy(), versionPolicy: try versionPolicy()
        )
    }

    /// A tenant's version retention, from the columns ``SQLColumns/sharePolicy(of:)`` selects beside its share policy.
    func versionPolicy(prefix: String = "") throws -> TenantVersionPolicy {
        TenantVersionPolicy(
            keepLast: try optionalInt64(prefix + "versions_keep").map { Int($0) }, maximumAge: try optionalInt64(prefix + "versions_max_age").map { Double($0) }
        )
    }

    /// A tenant's share policy, from the columns ``SQLColumns/sharePolicy(of:)`` selects (named with `prefix`).
    func sharePolicy(prefix: String = "") throws -> TenantSharePolicy {
        TenantSharePolicy(
            allowsShares: try int64(prefix + "shares_disabled") == 0, requiresPassword: try int64(prefix + "share_password_required") != 0,
            maximumLifetime: try optionalInt64(prefix + "share_max_lifetime").map { Double($0) },
            defaultLifetime: try optionalInt64(prefix + "share_default_lifetime").map { Double($0) }
        )
    }

    func usage() throws -> TenantUsage {
        TenantUsage(bytes: try int64("used_bytes"), files: try int64("used_files"), quota: try quota(maximumBytes: "max_bytes", maximumFiles: "max_files"))
    }

    func quota(maximumBytes: String, maximumFiles: String) throws -> TenantQuota {
        TenantQuota(maximumBytes: try optionalInt64(maximumBytes), maximumFiles: try optionalInt64(maximumFiles))
    }

    func accessToken() throws -> AccessToken {
        AccessToken(
            id: try int64("id"),
            tenantID: try int64("tenant_id"),
            scope: try enumValue("scope", as: TokenScope.self),
            label: try optionalString("label"),
            createdAt: try date("created_at"),
            revokedAt: try optionalDate("revoked_at"),
            expiresAt: try optionalDate("expires_at"),
            signedInAs: try signInIdentity()
        )
    }

    /// The credential a token row was joined with (``SQLColumns/tokenWithSignIn``), if any.
    private func signInIdentity() throws -> SignInIdentity? {
        guard contains(column: "signin_kind"), let credentialID = try optionalInt64("credential_id"),
            let identifier = try optionalString("signin_identifier")
        else { return nil }
        return SignInIdentity(credentialID: credentialID, kind: try enumValue("signin_kind", as: CredentialKind.self), identifier: identifier)
    }

    func credential() throws -> Credential {
        Credential(
            id: try int64("id"),
            tenantID: try int64("tenant_id"),
            kind: try enumValue("kind", as: CredentialKind.self),
            identifier: try string("identifier"),
            scope: try enumValue("scope", as: TokenScope.self),
            createdAt: try date("created_at"),
            revokedAt: try optionalDate("revoked_at")
        )
    }

    func customField() throws -> CustomField {
        let definition = CustomFieldDefinition(
            name: try string("name"),
            dataType: try string("data_type"),
            placeholder: try optionalString("placeholder"),
            position: Int(try int64("position")),
            model: try string("model"),
            acceptedFormats: try string("accepted_formats").split(separator: ",").map(String.init),
            allowsMultipleFiles: try int64("multiple_files") != 0,
            maximumFiles: try decodeNil(column: "maximum_files") ? nil : Int(try int64("maximum_files"))
        )
        return CustomField(
            id: try string("id"),
            tenantID: try int64("tenant_id"),
            fieldKey: try string("field_key"),
            definition: definition,
            createdAt: try date("created_at"),
            updatedAt: try date("updated_at")
        )
    }

    func record(_ c: ColumnNames = .plain) throws -> Record {
        Record(
            id: try int64(c.id),
            uuid: try uuid(c.uuid),
            tenantID: try int64(c.tenantID),
            type: try enumValue(c.type, as: RecordType.self),
            reference: try string(c.reference),
            externalIdentifier: try optionalString(c.externalIdentifier),
            title: try optionalString(c.title),
            createdAt: try date(c.createdAt),
            updatedAt: try date(c.updatedAt),
            legalHold: try int64(c.legalHold) != 0
        )
    }

    func storedFile(_ c: ColumnNames = .plain) throws -> StoredFile {
        StoredFile(
            id: try int64(c.id),
            uuid: try uuid(c.uuid),
            tenantID: try int64(c.tenantID),
            name: try string(c.name),
            size: try int64(c.size),
            mimeType: try string(c.mimeType),
            kind: try enumValue(c.kind, as: FileKind.self),
            sha256: try string(c.sha256),
            createdAt: try date(c.createdAt),
            updatedAt: try date(c.updatedAt),
            scan: try scanStatus(c)
        )
    }

    /// `scan_state` is `clean`, `infected` (with `scan_signature`: the malware's name), `damaged` (with
    /// `scan_signature`: what `verify` found) or NULL.
    func scanStatus(_ c: ColumnNames) throws -> ScanStatus {
        switch try optionalString(c.scanState) {
        case nil: return .unscanned
        case "clean": return .clean
        case "infected": return .infected(signature: try optionalString(c.scanSignature) ?? "")
        case "damaged": return .damaged(reason: try optionalString(c.scanSignature) ?? "")
        default: throw SQLStoreError.corruptRow(column: c.scanState)
        }
    }

    /// An attachment from a joined row, its record's and file's numbers included (``SQLColumns/attachedFile``).
    func attachment(_ c: ColumnNames) throws -> Attachment {
        try attachment(c, recordID: try int64(c.recordID), fileID: try int64(c.fileID))
    }

    /// An attachment from its own row (``SQLColumns/attachment``) and its record's and file's numbers.
    func attachment(_ c: ColumnNames = .plain, recordID: Int64, fileID: Int64) throws -> Attachment {
        Attachment(
            id: try int64(c.id),
            uuid: try uuid(c.uuid),
            tenantID: try int64(c.tenantID),
            recordID: recordID,
            fileID: fileID,
            description: try optionalString(c.description),
            slot: try optionalString(c.fieldID).map { AttachmentSlot(fieldID: $0, entryKey: try optionalString(c.fieldEntry) ?? "") },
            createdAt: try date(c.createdAt),
            updatedAt: try date(c.updatedAt),
            version: try int64(c.version),
            category: try optionalString(c.category),
            tags: AttachmentTags.list(commaSeparated: try optionalString(c.tags)),
            expiresOn: try optionalDate(c.expiresOn),
            legalHold: try int64(c.legalHold) != 0
        )
    }

    func attachedFile() throws -> AttachedFile {
        AttachedFile(attachment: try attachment(.attachment), file: try storedFile(.file), record: try record(.record))
    }
}

/// The names of the columns a row is read from, with the prefix a join gives them (``SQLColumns/attachedFile``),
/// made once: joining the prefix per column and row was a string allocation each.
struct ColumnNames: Sendable {
    let id, uuid, tenantID, createdAt, updatedAt: String
    let type, reference, externalIdentifier, title: String
    let name, size, mimeType, kind, sha256: String
    let recordID, fileID, description, fieldID, fieldEntry: String
    let scanState, scanSignature, version, category, tags, expiresOn, legalHold: String

    init(prefix p: String) {
        id = p + "id"
        uuid = p + "uuid"
        tenantID = p + "tenant_id"
        createdAt = p + "created_at"
        updatedAt = p + "updated_at"
        type = p + "type"
        reference = p + "reference"
        externalIdentifier = p + "external_identifier"
        title = p + "title"
        name = p + "name"
        size = p + "size"
        mimeType = p + "mime_type"
        kind = p + "kind"
        sha256 = p + "sha256"
        recordID = p + "record_id"
        fileID = p + "file_id"
        description = p + "description"
        fieldID = p + "field_id"
        fieldEntry = p + "field_entry"
        scanState = p + "scan_state"
        scanSignature = p + "scan_signature"
        version = p + "version"
        category = p + "category"
        tags = p + "tags"
        expiresOn = p + "expires_on"
        legalHold = p + "legal_hold"
    }

    static let plain = ColumnNames(prefix: "")
    static let attachment = ColumnNames(prefix: "a_")
    static let file = ColumnNames(prefix: "f_")
    static let record = ColumnNames(prefix: "r_")
}
