public import Foundation

/// One entry of a tenant's change feed: written in the transaction of the change it tells of (an
/// outbox), numbered per tenant in the order those transactions commit, one after another with no
/// gap, so a reader that asks for the events after the last number it saw never misses one.
///
/// It carries ids, names and sizes only — never a link, a token or content — and outlives the
/// objects it names.
public struct ChangeEvent: Sendable, Hashable {
    /// The event's number in its tenant's feed: 1, 2, 3, … (0 before the store writes it).
    public var number: Int64
    public var type: ChangeEventType
    public var time: Date
    public var tenantID: Int64
    /// Who made the change, as the audit trail names them (`token:12`, `share:…`, `cli`).
    public var actor: String
    public var recordUUID: UUID?
    public var attachmentUUID: UUID?
    public var fileID: Int64?
    public var fileName: String?
    public var size: Int64?
    /// A refusal's code, a malware signature, a share's id: what the audit event's detail says.
    public var detail: String?

    public init(
        number: Int64, type: ChangeEventType, time: Date, tenantID: Int64, actor: String, recordUUID: UUID? = nil,
        attachmentUUID: UUID? = nil, fileID: Int64? = nil, fileName: String? = nil, size: Int64? = nil, detail: String? = nil
    ) {
        self.number = number
        self.type = type
        self.time = time
        self.tenantID = tenantID
        self.actor = actor
        self.recordUUID = recordUUID
        self.attachmentUUID = attachmentUUID
        self.fileID = fileID
        self.fileName = fileName
        self.size = size
        self.detail = detail
    }

    /// The change events of audit events, in their order (see ``ChangeEventType/of(_:)``), unnumbered.
    public static func of(_ audit: [AuditEvent]) -> [ChangeEvent] {
        audit.flatMap { event in
            ChangeEventType.of(event).map { type in
                ChangeEvent(
                    number: 0, type: type, time: event.time, tenantID: event.tenantID, actor: event.actor.text,
                    recordUUID: event.recordUUID, attachmentUUID: event.attachmentUUID, fileID: event.fileID, fileName: event.fileName,
                    size: event.size, detail: event.detail
                )
            }
        }
    }
}
