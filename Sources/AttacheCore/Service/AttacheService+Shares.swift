public import Foundation

/// Share links: made and managed by the CRM's users, used by people outside it.
extension AttacheService {
    /// Tokens: "shr_" and 24 random bytes (192 bits), base64url.
    static let shareTokenPrefix = "shr_"

    // MARK: Managing (the tenant's users)

    /// Makes a share link for an attachment or a record, within the tenant's policy (a share made
    /// without an expiry gets the policy's default). - Throws: `notFound`; `invalidInput`; `forbidden`
    /// when the tenant allows no shares.
    public func createShare(_ principal: Principal, for target: Share.Target, options: ShareOptions) async throws -> IssuedShare {
        try principal.require(.write)
        let now = Date()
        let policy = try await sharePolicy(of: principal)
        guard policy.allowsShares else {
            throw AttacheError(.forbidden, "This tenant does not allow share links.")
        }
        let label = try Self.checkedLabel(options.label)
        try Self.checkExpiry(options.expiresAt)
        let expiresAt = options.expiresAt ?? policy.defaultLifetime.map { now.addingTimeInterval($0) }
        try Self.checkPolicy(policy, expiresAt: expiresAt, createdAt: now, hasPassword: options.password != nil)
        try Self.checkLimits(
            of: options.kind, target: target, maxDownloads: options.maxDownloads, maxFiles: options.maxFiles, maxBytes: options.maxBytes
        )
        let passwordHash: String? = if let password = options.password { try await PasswordHash.make(try Self.checkedPassword(password)) } else { nil }
        let recordUUID: UUID
        switch target {
        case .attachment(let uuid): recordUUID = try await attachment(principal, uuid: uuid).record.uuid
        case .record(let uuid): recordUUID = try await record(principal, uuid: uuid).uuid
        }
        var generator = SystemRandomNumberGenerator()
        let token = Self.shareTokenPrefix + Base64URL.encode((0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let share = Share(
            id: UUID(), tenantID: principal.tenant.id, kind: options.kind, target: target, recordUUID: recordUUID, label: label,
            expiresAt: expiresAt, maxDownloads: options.maxDownloads, maxFiles: options.maxFiles, maxBytes: options.maxBytes,
            hasPassword: passwordHash != nil, createdAt: now, updatedAt: now
        )
        let stored = try await metadata.createShare(share, tokenHash: TokenSecret.hash(token), passwordHash: passwordHash, audit: principal.auditContext(at: now))
        return IssuedShare(share: stored, token: token)
    }

    /// The tenant's shares, newest first: all, a record's (its own and its attachments'), or an attachment's.
    public func shares(
        _ principal: Principal, record: UUID? = nil, attachment: UUID? = nil, page: NewestFirstPageRequest = NewestFirstPageRequest()
    ) async throws -> Page<Share> {
        try await metadata.shares(tenantID: principal.tenant.id, recordUUID: record, attachmentUUID: attachment, page: page)
    }

    /// - Throws: `notFound`.
    public func share(_ principal: Principal, id: UUID) async throws -> Share {
        guard let share = try await metadata.share(tenantID: principal.tenant.id, id: id) else {
            throw AttacheError(.notFound, "There is no share \(id.lowercasedText).")
        }
        return share
    }

    /// Changes a live share's label, expiry, limits or password (`.some(nil)` clears one); a download
    /// share's limit is `maxDownloads`, a drop link's `maxFiles` and `maxBytes`.
    /// - Throws: `notFound` (also for a revoked share); `invalidInput`.
    public func updateShare(
        _ principal: Principal, id: UUID, label: String??, expiresAt: Date??, maxDownloads: Int64??, maxFiles: Int64?? = nil,
        maxBytes: Int64?? = nil, password: String??
    ) async throws -> Share {
        try principal.require(.write)
        let current = try await share(principal, id: id)
        var change = ShareChange()
        if let label { change.label = .some(try Self.checkedLabel(label)) }
        if let expiresAt {
            try Self.checkExpiry(expiresAt)
            change.expiresAt = expiresAt
        }
        try Self.checkLimits(
            of: current.kind, target: current.target, maxDownloads: maxDownloads ?? nil, maxFiles: maxFiles ?? nil, maxBytes: maxBytes ?? nil
        )
        change.maxDownloads = maxDownloads
        change.maxFiles = maxFiles
        change.maxBytes = maxBytes
        if let password {
            let hash: String? = if let password { try await PasswordHash.make(try Self.checkedPassword(password)) } else { nil }
            change.passwordHash = .some(hash)
        }
        if expiresAt != nil || password != nil {
            // The change must leave the share within the tenant's policy.
            let policy = try await sharePolicy(of: principal)
            try Self.checkPolicy(
                policy, expiresAt: expiresAt ?? current.expiresAt, createdAt: current.createdAt,
                hasPassword: password.map { $0 != nil } ?? current.hasPassword
            )
        }
        guard let share = try await metadata.updateShare(tenantID: principal.tenant.id, id: id, change: change, audit: principal.auditContext()) else {
            throw AttacheError(.notFound, "There is no live share \(id.lowercasedText).")
        }
        return share
    }

    /// Revokes a share: its link answers 404 from the next request, on every node. - Throws: `notFound`.
    public func revokeShare(_ principal: Principal, id: UUID) async throws -> Share {
        try principal.require(.write)
        guard let share = try await metadata.revokeShare(tenantID: principal.tenant.id, id: id, audit: principal.auditContext()) else {
            throw AttacheError(.notFound, "There is no live share \(id.lowercasedText).")
        }
        return share
    }

    // MARK: Using (people outside the CRM)

    /// The live share with this token, and the caller it acts as. Unknown, malformed, expired and
    /// revoked tokens are one and the same 404.
    public func openShare(token: String, origin: RequestOrigin) async throws -> SharedAccess {
        let unknown = AttacheError(.notFound, "This link does not exist, has expired or was revoked.")
        guard token.hasPrefix(Self.shareTokenPrefix), token.utf8.count <= 64,
            let (share, passwordHash) = try await metadata.share(tokenHash: TokenSecret.hash(token)), share.isLive(at: Date()),
            let tenant = try await metadata.tenant(id: share.tenantID), tenant.sharePolicy.allowsShares
        else { throw unknown }
        var principal = Principal(tenant: tenant, scope: .read, origin: origin)
        principal.share = share.id
        return SharedAccess(share: share, principal: principal, passwordHash: passwordHash)
    }

    /// Checks a share's password. Ten attempts from one address, then that address is locked out of
    /// that share (429, answered without hashing, the wait growing); other addresses are not slowed
    /// down. Attempts are counted in the metadata store when they are admitted, before the password is
    /// hashed (``PasswordGuessLimit``), so no more than ten are ever hashed before the lock-out however
    /// many arrive at once, on however many nodes.
    /// - Throws: `passwordRequired` for a wrong password; `tooManyRequests`.
    public func unlockShare(_ access: SharedAccess, password: String) async throws {
        guard let hash = access.passwordHash else { return }
        let share = access.share
        let client = access.principal.origin.clientAddress ?? "-"
        let now = Date()
        if let until = try await metadata.admitSharePassword(shareID: share.id, client: client, limit: sharePasswordLimit, now: now) {
            let wait = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
            var error = AttacheError(.tooManyRequests, "Too many wrong passwords; try again in \(wait) seconds.")
            error.rateLimit = RateLimit(limit: Int(sharePasswordLimit.allowedAttempts), remaining: 0, resetAfter: wait, retryAfter: wait)
            throw error
        }
        let matches = password.utf8.count <= ShareOptions.maximumPasswordBytes ? try await PasswordHash.verify(password, against: hash) : false
        guard matches else {
            try await metadata.appendAuditEvents([access.principal.auditContext().event(.shareRefuse, share: share)])
            throw AttacheError(.passwordRequired, "The password is not right.", field: "password")
        }
        try await metadata.forgetSharePasswordAttempts(shareID: share.id, client: client)
    }

    /// What the share shows now: its attachment, or its record's attachments (quarantined files left
    /// out). - Throws: `notFound` when what it shows was deleted.
    public func sharedItems(_ access: SharedAccess) async throws -> (record: Record, files: [AttachedFile]) {
        try Self.requireDownloads(access)
        switch access.share.target {
        case .attachment(let uuid):
            let attached = try await attachment(access.principal, uuid: uuid)
            return (attached.record, attached.file.scan.isQuarantined ? [] : [attached])
        case .record(let uuid):
            // The list alone: no archive layout, no checksums read.
            let (record, files) = try await servableAttachments(access.principal, recordUUID: uuid)
            return (record, files)
        }
    }

    /// One of the share's files. - Throws: `notFound` for a file the share does not show.
    public func sharedFile(_ access: SharedAccess, attachment uuid: UUID) async throws -> AttachedFile {
        guard let attached = try await sharedItems(access).files.first(where: { $0.attachment.uuid == uuid }) else {
            throw AttacheError(.notFound, "This link shows no file \(uuid.lowercasedText).")
        }
        return attached
    }

    /// The ZIP of a record share's files. - Throws: `notFound` for a share of one file or a drop link.
    public func sharedArchive(_ access: SharedAccess) async throws -> RecordArchive {
        try Self.requireDownloads(access)
        guard case .record(let recordUUID) = access.share.target else {
            throw AttacheError(.notFound, "This link shows one file; it has no archive.")
        }
        return try await recordArchive(access.principal, recordUUID: recordUUID)
    }

    /// Counts a download against the share's limit. - Throws: `linkExhausted` when it has served all its
    /// downloads; `notFound` when it expired or was revoked meanwhile.
    public func countSharedDownload(_ access: SharedAccess) async throws -> Share {
        if let counted = try await metadata.countShareDownload(id: access.share.id, now: Date()) { return counted }
        guard let current = try await metadata.share(tenantID: access.share.tenantID, id: access.share.id), current.isLive(at: Date()) else {
            throw AttacheError(.notFound, "This link does not exist, has expired or was revoked.")
        }
        throw AttacheError(.linkExhausted, "This link has served all the downloads it was made for.")
    }

    /// Records that someone opened the share's page.
    public func recordShareView(_ access: SharedAccess) async throws {
        try await metadata.appendAuditEvents([access.principal.auditContext().event(.shareView, share: access.share)])
    }

    // MARK: Checks

    /// The tenant's share policy as stored now (a cached principal may carry an older one).
    private func sharePolicy(of principal: Principal) async throws -> TenantSharePolicy {
        try await metadata.tenant(id: principal.tenant.id)?.sharePolicy ?? principal.tenant.sharePolicy
    }

    /// A drop link never lists or serves anything, not even what was sent through it.
    private static func requireDownloads(_ access: SharedAccess) throws(AttacheError) {
        guard access.share.kind == .download else {
            throw AttacheError(.notFound, "This link takes files; it shows none.")
        }
    }

    private static func checkLimits(
        of kind: Share.Kind, target: Share.Target, maxDownloads: Int64?, maxFiles: Int64?, maxBytes: Int64?
    ) throws(AttacheError) {
        switch kind {
        case .download:
            try checkLimit(maxDownloads, field: "maxDownloads", range: 1...ShareOptions.maximumDownloads)
            if maxFiles != nil || maxBytes != nil {
                throw AttacheError(.invalidInput, "maxFiles and maxBytes limit drop links (kind upload) only.", field: maxFiles != nil ? "maxFiles" : "maxBytes")
            }
        case .upload:
            guard case .record = target else {
                throw AttacheError(.invalidInput, "A drop link (kind upload) takes files into a record: make it on the record.", field: "kind")
            }
            if maxDownloads != nil {
                throw AttacheError(.invalidInput, "A drop link serves no downloads: maxDownloads limits download shares only.", field: "maxDownloads")
            }
            try checkLimit(maxFiles, field: "maxFiles", range: 1...ShareOptions.maximumFiles)
            try checkLimit(maxBytes, field: "maxBytes", range: 1...ShareOptions.maximumBytes)
        }
    }

    private static func checkLimit(_ value: Int64?, field: String, range: ClosedRange<Int64>) throws(AttacheError) {
        if let value, !range.contains(value) {
            throw AttacheError(.invalidInput, "\(field) must be between \(range.lowerBound) and \(range.upperBound).", field: field)
        }
    }

    private static func checkedLabel(_ label: String?) throws(AttacheError) -> String? {
        guard let label = label?.trimmingCharacters(in: .whitespacesAndNewlines), !label.isEmpty else { return nil }
        guard label.count <= ShareOptions.maximumLabelLength, !label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw AttacheError(.invalidInput, "label must be at most \(ShareOptions.maximumLabelLength) characters, without control characters.", field: "label")
        }
        return label
    }

    private static func checkedPassword(_ password: String) throws(AttacheError) -> String {
        guard !password.isEmpty, password.utf8.count <= ShareOptions.maximumPasswordBytes else {
            throw AttacheError(.invalidInput, "password must be 1 to \(ShareOptions.maximumPasswordBytes) bytes.", field: "password")
        }
        return password
    }

    private static func checkExpiry(_ expiresAt: Date?) throws(AttacheError) {
        if let expiresAt, expiresAt <= Date() {
            throw AttacheError(.invalidInput, "expiresAt must be in the future.", field: "expiresAt")
        }
    }

    private static func checkPolicy(_ policy: TenantSharePolicy, expiresAt: Date?, createdAt: Date, hasPassword: Bool) throws(AttacheError) {
        if policy.requiresPassword, !hasPassword {
            throw AttacheError(.invalidInput, "This tenant's share links need a password.", field: "password")
        }
        if let longest = policy.maximumLifetime {
            let latest = createdAt.addingTimeInterval(longest)
            guard let expiresAt, expiresAt <= latest.addingTimeInterval(1) else {
                let days = longest / 86_400
                let span = days == days.rounded(.down) ? (days == 1 ? "1 day" : "\(Int(days)) days") : "\(Int(longest)) seconds"
                throw AttacheError(
                    .invalidInput, "This tenant's share links live at most \(span): expiresAt must be \(latest.formatted(.iso8601)) or sooner.",
                    field: "expiresAt"
                )
            }
        }
    }
}
