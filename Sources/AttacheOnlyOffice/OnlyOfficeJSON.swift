import AttacheHTTP
import Foundation

/// The objects of the ONLYOFFICE face. Property names are the portal's camelCase; the documented
/// dialect renames them to the documentation's PascalCase with ``documentedKeys``.
enum OnlyOfficeJSON {
    struct Employee: Encodable {
        var id: String
        var displayName: String
        var title: String
        var avatarSmall: String
        var profileUrl: String
    }

    /// `FileWrapper` as the documentation shows it (`{ID, Name, UpdatedBy, Updated, Location}`).
    struct DocumentedFile: Encodable {
        var id: Int64
        var name: String
        var updatedBy: Employee
        var updated: String
        /// Where the file downloads from (the file handler URL).
        var location: String
    }

    /// `ASC.Api.Documents.FileWrapper` as a portal serialises it.
    struct PortalFile: Encodable {
        var id: Int64
        var title: String
        var access = 0
        var sharedByMe = false
        var created: String
        var createdBy: Employee
        var updated: String
        var updatedBy: Employee
        /// 8: the CRM root folder.
        var rootFolderType = 8
        var folderId = 0
        var version = 1
        var versionGroup = 1
        var contentLength: String
        var pureContentLength: Int64
        var fileStatus = 0
        var viewUrl: String
        var webUrl: String
        var fileType: Int
        var fileExst: String
        var comment = ""
    }

    /// A file in either dialect.
    enum File: Encodable {
        case documented(DocumentedFile)
        case portal(PortalFile)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .documented(let file): try file.encode(to: encoder)
            case .portal(let file): try file.encode(to: encoder)
            }
        }
    }

    struct Category: Encodable {
        var imagePath: String
        var title: String
        var description: String
        var color: String
        var sortOrder: Int
        var id: Int
    }

    struct Contact: Encodable {
        var smallFotoUrl: String
        var mediumFotoUrl: String
        var displayName: String
        var isCompany: Bool
        var accessList: [Employee]
        var isPrivate: Bool
        var isShared: Bool
        /// 0 None, 1 ReadWrite, 2 Read.
        var shareType: Int
        /// The contact's currency; Attache keeps none, so it is `null` (the key is always present).
        @ExplicitNull var currency: Currency?
        var canEdit: Bool
        var canDelete: Bool
        var id: Int64
    }

    /// `CurrencyInfoWrapper`.
    struct Currency: Encodable, Sendable {
        var title: String
        var symbol: String
        var abbreviation: String
        var cultureName: String
        var isConvertable: Bool
        var isBasic: Bool
    }

    struct Entity: Encodable {
        var entityType: String
        var entityId: Int64
        var entityTitle: String
    }

    /// `RelationshipEventWrapper`: the history event that attaching files creates. Members without a
    /// value are left out, as the portal does.
    struct Event: Encodable {
        var createBy: Employee
        var created: String
        var content: String
        var category: Category
        var contact: Contact?
        var entity: Entity?
        var canEdit: Bool
        var files: [File]
        var id: Int64
    }

    /// The documentation's names: `createBy` → `CreateBy`, `id` → `ID`, but `Id` inside employees.
    static func documentedKeys(_ path: [any CodingKey]) -> any CodingKey {
        let key = path.last?.stringValue ?? ""
        let insideEmployee = path.dropLast().contains { ["createBy", "updatedBy", "accessList"].contains($0.stringValue) }
        let renamed: String
        if key == "id" {
            renamed = insideEmployee ? "Id" : "ID"
        } else {
            renamed = key.prefix(1).uppercased() + key.dropFirst()
        }
        return RenamedKey(stringValue: renamed)
    }

    private struct RenamedKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
