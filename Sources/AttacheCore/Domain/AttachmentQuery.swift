import Foundation

/// Filters for listing a tenant's attachments across records. Every non-empty filter must match.
public struct AttachmentQuery: Sendable, Hashable {
    /// Only these attachments.
    public var uuids: [UUID]
    /// Only attachments of these records.
    public var recordUUIDs: [UUID]
    /// Only attachments of records of these types.
    public var recordTypes: [RecordType]

    public init(uuids: [UUID] = [], recordUUIDs: [UUID] = [], recordTypes: [RecordType] = []) {
        self.uuids = uuids
        self.recordUUIDs = recordUUIDs
        self.recordTypes = recordTypes
    }
}
