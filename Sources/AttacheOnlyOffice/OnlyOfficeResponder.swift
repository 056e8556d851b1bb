import AttacheCore
import AttacheHTTP
import AttacheJSON
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Renders ONLYOFFICE results and errors in the configured ``OnlyOfficeWireFormat``.
struct OnlyOfficeResponder: Sendable {
    let format: OnlyOfficeWireFormat
    let links: LinkBuilder
    /// Where the face is mounted (its prefix), for the file handler URL.

    /// The system history category that file attachments are filed under (id -2, as in ONLYOFFICE).
    static let filesUploadCategory = OnlyOfficeJSON.Category(
        imagePath: "/Products/CRM/App_Themes/default/images/event_category_attach_file.png",
        title: "Files upload", description: "", color: "", sortOrder: 0, id: -2
    )

    /// A success: the payload bare (documented, 200) or in the envelope (portal, 201 for POST).
    func success(_ payload: some Encodable, count: Int = 1, created: Bool = false) throws -> Response {
        switch format {
        case .documented:
            return try encode(payload, status: .ok)
        case .communityServer:
            let status: HTTPResponse.Status = created ? .created : .ok
            return try encode(OnlyOfficeEnvelope(count: count, status: 0, statusCode: status.code, response: payload), status: status)
        }
    }

    /// An error in the portal's envelope (both dialects; the documentation shows no error body).
    ///
    /// Unknown or foreign file ids are a 400 ("Invalid arguments"), an unknown entity a 404, and upload
    /// rule violations a 400, as the portal's `ArgumentException` handling answers.
    static func error(_ error: AttacheError, request: Request, context: AttacheRequestContext) throws -> Response {
        let status: HTTPResponse.Status
        let type: String
        switch error.code {
        case .notFound where error.fieldErrors["fileIds"] != nil:
            (status, type) = (.badRequest, "System.ArgumentException")
        case .notFound:
            (status, type) = (.notFound, "ASC.Core.Common.ItemNotFoundException")
        case .unauthenticated:
            (status, type) = (.unauthorized, "System.Security.Authentication.AuthenticationException")
        case .forbidden:
            (status, type) = (.forbidden, "System.Security.SecurityException")
        case .methodNotAllowed:
            (status, type) = (.methodNotAllowed, "System.Web.HttpException")
        case .tooManyRequests:
            (status, type) = (.tooManyRequests, "System.Web.HttpException")
        case .internal, .storageUnavailable, .scanUnavailable:
            (status, type) = (error.code.httpStatus, "System.Exception")
        default:
            (status, type) = (.badRequest, "System.ArgumentException")
        }
        let body = OnlyOfficeEnvelope<String>(
            count: 0, status: 1, statusCode: status.code, response: nil,
            error: OnlyOfficeErrorBody(message: error.message, type: type)
        )
        return try JSONResponse.make(body, status: status, headers: error.rateLimitHeaders)
    }

    /// The file object of this dialect.
    func file(_ file: StoredFile, by author: OnlyOfficeJSON.Employee, request: Request) -> OnlyOfficeJSON.File {
        let url = links.url(path: "/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=\(file.id)", request: request)
        switch format {
        case .documented:
            return .documented(.init(id: file.id, name: file.name, updatedBy: author, updated: TimestampFormat.utcFractional(file.updatedAt), location: url))
        case .communityServer:
            let ext = FileNameSanitizer.fileExtension(of: file.name).map { "." + $0 } ?? ""
            return .portal(.init(
                id: file.id, title: file.name, created: TimestampFormat.utcFractional(file.createdAt), createdBy: author,
                updated: TimestampFormat.utcFractional(file.updatedAt), updatedBy: author,
                contentLength: ByteCountFormatter.string(fromByteCount: file.size, countStyle: .binary),
                pureContentLength: file.size, viewUrl: url, webUrl: url, fileType: Self.fileType(of: file), fileExst: ext
            ))
        }
    }

    /// The history event for files attached to `record` in one request; its id is the first attachment's.
    func event(record: Record, entity: OnlyOfficeEntity, attached: [AttachedFile], author: OnlyOfficeJSON.Employee, request: Request) -> OnlyOfficeJSON.Event {
        let title = record.title ?? record.reference
        let contact = entity == .contact
            ? OnlyOfficeJSON.Contact(
                smallFotoUrl: "", mediumFotoUrl: "", displayName: title, isCompany: false, accessList: [],
                isPrivate: false, isShared: false, shareType: 0, currency: nil, canEdit: true, canDelete: true, id: record.id
            ) : nil
        return OnlyOfficeJSON.Event(
            createBy: author,
            created: TimestampFormat.utcFractional(attached.first?.attachment.createdAt ?? Date()),
            content: Self.filesUploadCategory.title,
            category: Self.filesUploadCategory,
            contact: contact,
            entity: entity == .contact ? nil : OnlyOfficeJSON.Entity(entityType: entity.rawValue, entityId: record.id, entityTitle: title),
            canEdit: true,
            files: attached.map { file($0.file, by: author, request: request) },
            id: attached.first?.attachment.id ?? 0
        )
    }

    /// The portal user shown as author (`CreatedBy`, `UpdatedBy`): the user who signed in for the
    /// caller's token, its id made from the credential's; a token made with the CLI acts as the tenant.
    static func author(for principal: Principal) -> OnlyOfficeJSON.Employee {
        if let user = principal.signedInAs {
            return OnlyOfficeJSON.Employee(id: guid(user.credentialID, group: "0001"), displayName: user.identifier, title: "", avatarSmall: "", profileUrl: "")
        }
        return OnlyOfficeJSON.Employee(id: guid(principal.tenant.id, group: "0000"), displayName: principal.tenant.name, title: "", avatarSmall: "", profileUrl: "")
    }

    /// A GUID as ONLYOFFICE writes them, stable for one number (`00000000-0000-0000-GROUP-00000000002a`).
    private static func guid(_ number: Int64, group: String) -> String {
        let suffix = String(String(number, radix: 16).suffix(12))
        return "00000000-0000-0000-\(group)-" + String(repeating: "0", count: 12 - suffix.count) + suffix
    }

    private func encode(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        try JSONResponse.make(value, status: status, keys: format == .documented ? .renamed(OnlyOfficeJSON.documentedKeys) : .asDeclared)
    }

    /// ONLYOFFICE's `FileType` numbers: 1 archive, 4 image, 5 spreadsheet, 6 presentation, 7 document,
    /// 3 audio, 2 video, 0 unknown.
    private static func fileType(of file: StoredFile) -> Int {
        switch file.kind {
        case .image: return 4
        case .audio: return 3
        case .video: return 2
        case .document:
            if file.mimeType.contains("spreadsheet") || file.mimeType.contains("excel") || file.mimeType == "text/csv" { return 5 }
            if file.mimeType == "application/zip" || file.mimeType == "application/vnd.rar" { return 1 }
            return 7
        }
    }
}
