import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// A resumable upload as `GET /v1/uploads/{id}` shows it: how far it is, and the file it became.
struct NativeUpload: ResponseEncodable {
    var id: String
    /// `receiving`, `complete` or `failed`.
    var state: String
    var offset: Int64
    var length: Int64?
    var fileName: String
    var record: String?
    var expiresAt: Date
    var file: NativeFile?
    var attachment: String?
    var failure: String?

    init(_ upload: ResumableUpload, file stored: StoredFile?, links: LinkBuilder, tenant: Tenant, request: Request) {
        id = upload.id.lowercasedText
        state = upload.state.rawValue
        offset = upload.offset
        length = upload.length
        fileName = upload.fileName
        record = upload.recordUUID?.lowercasedText
        expiresAt = upload.expiresAt
        file = stored.map { NativeFile($0, links: links, tenant: tenant, request: request) }
        attachment = upload.attachmentUUID?.lowercasedText
        failure = upload.failure
    }
}
