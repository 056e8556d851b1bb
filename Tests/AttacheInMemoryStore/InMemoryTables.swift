internal import AttacheCore
internal import Foundation

/// Everything an ``InMemoryMetadataStore`` holds, as one value, so a change can be made on a copy and
/// kept only when it succeeds (the in-memory form of a transaction). Ids the clients see are numbered
/// per tenant, as the SQL stores number them; ``RowKey`` names a row by tenant and number.
struct InMemoryTables: Sendable {
    struct RowKey: Hashable, Sendable, Comparable {
        var tenantID: Int64
        var number: Int64

        static func < (lhs: RowKey, rhs: RowKey) -> Bool {
            (lhs.tenantID, lhs.number) < (rhs.tenantID, rhs.number)
        }
    }

    /// What each tenant numbers on its own.
    enum Numbered: Hashable, Sendable {
        case records, files, attachments, auditEvents, tokens
    }

    struct TenantRow: Sendable {
        var tenant: Tenant
        var nextReference: Int64 = 1001
        var counters: [Numbered: Int64] = [:]
    }

    struct TokenRow: Sendable {
        var token: AccessToken
        var secretHash: String
    }

    struct CredentialRow: Sendable {
        var credential: Credential
        var secretHash: String
    }

    struct BlobRow: Sendable {
        enum State: Sendable { case pending, stored, deleting }
        var size: Int64
        var generation: Int64
        var state: State
        var releasedAt: Date?
        var markedAt: Date?
        var crc32: UInt32?
    }

    struct ResumableRow: Sendable {
        var upload: ResumableUpload
        var lockHolder: String?
        var lockUntil: Date?
        var lockStagingKey: String?
        var parts: [ResumablePart] = []

        mutating func unlock() {
            lockHolder = nil
            lockUntil = nil
            lockStagingKey = nil
        }
    }

    /// An attachment's version that is not its current one.
    struct VersionRow: Sendable {
        var number: Int64
        var fileID: Int64
        var author: String?
        var createdAt: Date
    }

    struct WebhookEndpointRow: Sendable {
        var endpoint: WebhookEndpoint
        var secret: WebhookSecret
        var previousSecret: WebhookSecret?
        /// When the endpoint's next attempt may start (its pace).
        var nextStartAt: Date = .distantPast
    }

    struct WebhookDeliveryRow: Sendable {
        var delivery: WebhookDelivery
        var body: [UInt8]
        var holder: String?
        var leaseEnd: Date?
    }

    var tenants: [Int64: TenantRow] = [:]
    var nextTenantID: Int64 = 1
    var tokens: [TokenRow] = []
    var credentials: [CredentialRow] = []
    var records: [RowKey: Record] = [:]
    var files: [RowKey: StoredFile] = [:]
    var attachments: [RowKey: Attachment] = [:]
    var blobs: [BlobAddress: BlobRow] = [:]
    var nextGeneration: Int64 = 1
    /// Every tenant's events in the order they were written.
    var auditEvents: [AuditEvent] = []
    var changeEvents: [ChangeEvent] = []
    /// Each tenant's newest change event number.
    var eventCounters: [Int64: Int64] = [:]
    var customFields: [String: CustomField] = [:]
    var resumableUploads: [UUID: ResumableRow] = [:]
    var shares: [UUID: ShareRow] = [:]
    var webhookEndpoints: [UUID: WebhookEndpointRow] = [:]
    /// Each tenant's categories by name.
    var categories: [Int64: [String: Category]] = [:]
    /// Each attachment's earlier versions, and who made its current one and when (`nil`: its creation).
    var earlierVersions: [UUID: [VersionRow]] = [:]
    var currentVersionMade: [UUID: (author: String, at: Date)] = [:]
    var webhookDeliveries: [UUID: WebhookDeliveryRow] = [:]
    /// Password attempts by share and client address, and when each was last counted.
    var sharePasswordAttempts: [String: (attempts: PasswordGuessLimit.Attempts, updatedAt: Date)] = [:]

    /// Derived work by content and kind (`SQLSchema+Derivation.swift`'s rows), and its text.
    var derivationJobs: [DerivationJobKey: DerivationJobRow] = [:]
    var nextDerivationJobID: Int64 = 1
    var derivedTexts: [BlobAddress: DerivedText] = [:]
    /// Preview images by the content they show, then by size.
    var derivedImages: [BlobAddress: [PreviewSize: PreviewImage]] = [:]
    var derivationRebuilds: [String: BlobAddress] = [:]

    struct DerivationJobKey: Hashable, Sendable {
        var address: BlobAddress
        var kind: DerivationKind
    }

    struct DerivationJobRow: Sendable {
        typealias State = DerivationState
        var id: Int64
        var mimeType: String
        var state: State
        var attempts: Int
        var runAfter: Date
        var holder: String?
        var leaseEnd: Date?
        var reason: String?
    }

    /// Makes the jobs due for new content (or, `again`, puts finished ones back in the queue).
    mutating func queueDerivations(_ address: BlobAddress, mimeType: String, again: Bool, at time: Date) {
        for kind in DerivationKind.kinds(forMIMEType: mimeType) {
            queueDerivation(kind, of: address, mimeType: mimeType, again: again, at: time)
        }
    }

    mutating func queueDerivation(_ kind: DerivationKind, of address: BlobAddress, mimeType: String, again: Bool, at time: Date) {
        let key = DerivationJobKey(address: address, kind: kind)
        if let row = derivationJobs[key], !again || row.state == .running { return }
        // Never for quarantined content (DerivationFailure.quarantined).
        if files.values.contains(where: { $0.blobAddress == address && $0.scan.isQuarantined }) { return }
        let id = derivationJobs[key]?.id ?? nextDerivationJobID
        if id == nextDerivationJobID { nextDerivationJobID += 1 }
        derivationJobs[key] = DerivationJobRow(id: id, mimeType: mimeType, state: .queued, attempts: 0, runAfter: time.roundedToMilliseconds)
    }

    /// Removes up to `limit` of `rows` older than `cutoff`, oldest first, as the SQL stores' trims do.
    /// - Returns: how many.
    static func removeOldest<Row>(_ rows: inout [Row], before cutoff: Date, limit: Int, time: KeyPath<Row, Date>) -> Int {
        let old = rows.enumerated()
            .filter { $0.element[keyPath: time] < cutoff }
            .sorted { $0.element[keyPath: time] < $1.element[keyPath: time] }
            .prefix(max(limit, 0))
            .map(\.offset)
        for index in old.sorted(by: >) { rows.remove(at: index) }
        return old.count
    }

    /// Whether a preview image of some content is the content at `address`.
    func isPreviewImage(_ address: BlobAddress) -> Bool {
        derivedImages.contains { source, images in
            source.tenantID == address.tenantID && images.values.contains { $0.imageSHA256 == address.sha256 }
        }
    }

    /// Removes what was derived from content that is gone.
    mutating func forgetDerivedWork(_ address: BlobAddress) {
        derivationJobs = derivationJobs.filter { $0.key.address != address }
        derivedTexts[address] = nil
        derivedImages[address] = nil
    }

    struct ShareRow: Sendable {
        var share: Share
        var tokenHash: String
        var passwordHash: String?
    }

    /// The tenant's next number of `kind`: numbers are never reused, deleted rows' included.
    mutating func nextNumber(_ kind: Numbered, tenantID: Int64) throws -> Int64 {
        guard var row = tenants[tenantID] else { throw AttacheError(.notFound, "There is no tenant \(tenantID).") }
        let number = (row.counters[kind] ?? 0) + 1
        row.counters[kind] = number
        tenants[tenantID] = row
        return number
    }

    mutating func newGeneration() -> Int64 {
        defer { nextGeneration += 1 }
        return nextGeneration
    }

    /// Writes events with their tenant's next audit numbers.
    mutating func writeAuditEvents(_ events: [AuditEvent]) throws {
        for var event in events {
            event.id = try nextNumber(.auditEvents, tenantID: event.tenantID)
            event.time = event.time.roundedToMilliseconds
            auditEvents.append(event)
        }
        for var event in ChangeEvent.of(events) {
            let number = (eventCounters[event.tenantID] ?? 0) + 1
            eventCounters[event.tenantID] = number
            event.number = number
            event.time = event.time.roundedToMilliseconds
            changeEvents.append(event)
            try queueWebhookDeliveries(of: event)
        }
    }

    /// The event's deliveries: one per enabled endpoint of its tenant that takes its type.
    mutating func queueWebhookDeliveries(of event: ChangeEvent) throws {
        let endpoints = webhookEndpoints.values.map(\.endpoint).filter {
            $0.tenantID == event.tenantID && $0.isEnabled && $0.eventTypes.contains(event.type)
        }
        guard !endpoints.isEmpty else { return }
        let body = try event.webhookBody()
        for endpoint in endpoints {
            let delivery = WebhookDelivery(
                id: UUID(), endpointID: endpoint.id, tenantID: event.tenantID, eventNumber: event.number, eventType: event.type, state: .pending,
                attempts: 0, nextAttemptAt: event.time, lastAttemptAt: nil, lastStatus: nil, lastError: nil, deliveredAt: nil, createdAt: event.time
            )
            webhookDeliveries[delivery.id] = WebhookDeliveryRow(delivery: delivery, body: body)
        }
    }

    func record(_ recordID: Int64, tenantID: Int64) throws -> Record {
        guard let record = records[RowKey(tenantID: tenantID, number: recordID)] else {
            throw AttacheError(.notFound, "There is no record \(recordID).")
        }
        return record
    }

    func attachedFile(_ attachment: Attachment) -> AttachedFile? {
        guard let file = files[RowKey(tenantID: attachment.tenantID, number: attachment.fileID)],
            let record = records[RowKey(tenantID: attachment.tenantID, number: attachment.recordID)]
        else { return nil }
        return AttachedFile(attachment: attachment, file: file, record: record)
    }

    func isReferenced(_ address: BlobAddress) -> Bool {
        files.values.contains { $0.tenantID == address.tenantID && $0.sha256 == address.sha256 }
    }

    func usage(tenantID: Int64) throws -> TenantUsage {
        guard let row = tenants[tenantID] else { throw AttacheError(.notFound, "There is no tenant \(tenantID).") }
        let bytes = blobs.filter { $0.key.tenantID == tenantID && $0.value.state == .stored && $0.value.releasedAt == nil }.values.reduce(0) { $0 + $1.size }
        let count = files.keys.filter { $0.tenantID == tenantID }.count
        return TenantUsage(bytes: bytes, files: Int64(count), quota: row.tenant.quota)
    }

    /// Removes a file row; content no file references any more is released (kept until `gc`).
    mutating func deleteFileRow(_ key: RowKey, at time: Date) -> StoredFile? {
        guard let file = files.removeValue(forKey: key) else { return nil }
        let address = file.blobAddress
        if !isReferenced(address), var blob = blobs[address], blob.releasedAt == nil {
            blob.releasedAt = time
            blobs[address] = blob
        }
        return file
    }

    mutating func deleteFileIfUnlinked(_ key: RowKey, at time: Date) -> StoredFile? {
        let linked = attachments.values.contains { $0.tenantID == key.tenantID && $0.fileID == key.number }
            || attachments.values.contains { attachment in
                attachment.tenantID == key.tenantID && (earlierVersions[attachment.uuid] ?? []).contains { $0.fileID == key.number }
            }
        return linked ? nil : deleteFileRow(key, at: time)
    }

    /// Links a file to a record, or finds the link that exists. - Returns: the link, and whether it is new.
    mutating func insertAttachment(
        fileID: Int64, recordID: Int64, tenantID: Int64, description: String?, slot: AttachmentSlot?, labels: AttachmentLink, at time: Date
    ) throws -> (Attachment, created: Bool) {
        if let existing = attachments.values.first(where: { $0.tenantID == tenantID && $0.recordID == recordID && $0.fileID == fileID }) {
            return (existing, false)
        }
        let number = try nextNumber(.attachments, tenantID: tenantID)
        let attachment = Attachment(
            id: number, uuid: UUID(), tenantID: tenantID, recordID: recordID, fileID: fileID, description: description, slot: slot,
            createdAt: time, updatedAt: time, category: labels.category, tags: labels.tags
        )
        attachments[RowKey(tenantID: tenantID, number: number)] = attachment
        return (attachment, true)
    }

    /// A keyset page of `rows` (each with its number), in the page's order.
    static func page<Item>(_ rows: [Item], page: PageRequest, number: (Item) -> Int64) -> Page<Item> {
        var sorted = rows.sorted { number($0) < number($1) }
        if page.newestFirst { sorted.reverse() }
        if let after = page.afterID {
            sorted = sorted.filter { page.newestFirst ? number($0) < after : number($0) > after }
        }
        return PageCursor.page(Array(sorted.prefix(page.limit + 1)), limit: page.limit, id: number)
    }
}

extension Date {
    /// The SQL stores keep times in milliseconds; so does the fake, so that what it returns compares the same.
    var roundedToMilliseconds: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
