import AttacheCore
import AttacheHTTP
import Foundation

/// One change event as `GET /v1/events` gives it, shaped as Standard Webhooks' payloads are (`type`,
/// `timestamp`, `data`), with the feed's number as `id`. Ids, names and sizes only: never a link.
package struct NativeChangeEvent: Encodable, Sendable {
    struct Data: Encodable, Sendable {
        var actor: String
        @ExplicitNull var record: String?
        @ExplicitNull var attachment: String?
        @ExplicitNull var file: NativeChangeEventFile?
        @ExplicitNull var detail: String?
    }

    var id: Int64
    var type: String
    var timestamp: Date
    var data: Data

    package init(_ event: ChangeEvent) {
        id = event.number
        type = event.type.rawValue
        timestamp = event.time
        data = Data(
            actor: event.actor, record: event.recordUUID?.lowercasedText, attachment: event.attachmentUUID?.lowercasedText,
            file: event.fileID == nil && event.fileName == nil ? nil : NativeChangeEventFile(id: event.fileID, name: event.fileName, size: event.size),
            detail: event.detail
        )
    }
}

/// The file a change event names: its id (none for a refused upload, which stored nothing), its name
/// and its size when the event was written.
package struct NativeChangeEventFile: Encodable, Sendable {
    @ExplicitNull var id: Int64?
    @ExplicitNull var name: String?
    @ExplicitNull var size: Int64?
}
