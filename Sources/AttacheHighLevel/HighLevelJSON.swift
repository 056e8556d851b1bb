import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// HighLevel's JSON shapes.
enum HighLevelJSON {
    /// `{contact: {…}}`, the official `ContactsByIdSuccessfulResponseDto`.
    struct ContactEnvelope: Encodable {
        var contact: Contact
    }

    /// The parts of `GetContectByIdSchema` Attache knows: the record's identity and its file fields.
    struct Contact: Encodable {
        var id: String
        var name: String?
        var locationId: String
        var type: String
        var tags: [String]
        /// Download URLs, comma-separated, of the contact's files that are not in a custom field.
        var attachments: String
        var dateAdded: String
        var dateUpdated: String
        var customFields: [FieldValue]
    }

    /// One custom field of the contact: `{id, value}`; for a file field, `value` is an object keyed by
    /// the file ids of the upload (the official `FileField` value).
    struct FieldValue: Encodable {
        var id: String
        var value: [String: FileEntry]
    }

    struct FileEntry: Encodable {
        var meta: FileMeta
        var url: String
        var documentId: String
    }

    /// multer-style facts of the uploaded part.
    struct FileMeta: Encodable {
        var fieldname: String
        var originalname: String
        var encoding: String
        var mimetype: String
        var size: Int64
        var uuid: String
    }

    struct CustomFieldEnvelope: Encodable {
        var customField: CustomFieldJSON
    }

    struct CustomFieldList: Encodable {
        var customFields: [CustomFieldJSON]
    }

    struct Deleted: Encodable {
        var succeded: Bool
    }

    /// The official `CustomFieldSchema`, plus `acceptedFormat`.
    struct CustomFieldJSON: Encodable {
        var id: String
        var name: String
        var fieldKey: String
        var placeholder: String
        var dataType: String
        var position: Int
        var picklistOptions: [String]
        var picklistImageOptions: [String]
        var isAllowedCustomOption: Bool
        var isMultiFileAllowed: Bool
        var maxFileLimit: Int?
        var acceptedFormat: [String]
        var locationId: String
        var model: String

        init(_ field: CustomField, locationId: String) {
            let definition = field.definition
            id = field.id
            name = definition.name
            fieldKey = field.fieldKey
            placeholder = definition.placeholder ?? ""
            dataType = definition.dataType
            position = definition.position
            picklistOptions = []
            picklistImageOptions = []
            isAllowedCustomOption = false
            isMultiFileAllowed = definition.allowsMultipleFiles
            maxFileLimit = definition.maximumFiles
            acceptedFormat = definition.acceptedFormats
            self.locationId = locationId
            model = definition.model
        }
    }

    /// `CreateCustomFieldsDTO` / `UpdateCustomFieldsDTO`.
    struct CustomFieldInput: Decodable {
        var name: String?
        var dataType: String?
        var placeholder: String?
        var acceptedFormat: [String]?
        var isMultipleFile: Bool?
        var maxNumberOfFiles: Int?
        var position: Int?
        var model: String?
    }
}
