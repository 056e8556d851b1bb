import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// One audit event as `GET /v1/audit` lists it, and `attache audit` prints it; absent details are `null`.
package struct NativeAuditEvent: Encodable, Sendable {
    var id: Int64
    var time: Date
    var action: String
    var actor: String
    @ExplicitNull var record: String?
    @ExplicitNull var file: Int64?
    @ExplicitNull var fileName: String?
    @ExplicitNull var attachment: String?
    @ExplicitNull var size: Int64?
    @ExplicitNull var clientAddress: String?
    @ExplicitNull var requestId: String?
    @ExplicitNull var detail: String?

    package init(_ event: AuditEvent) {
        id = event.id
        time = event.time
        action = event.action.rawValue
        actor = event.actor.text
        record = event.recordUUID?.lowercasedText
        file = event.fileID
        fileName = event.fileName
        attachment = event.attachmentUUID?.lowercasedText
        size = event.size
        clientAddress = event.clientAddress
        requestId = event.requestID
        detail = event.detail
    }
}
