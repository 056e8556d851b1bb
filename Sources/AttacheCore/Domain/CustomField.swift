import Foundation

/// A tenant's custom field (HighLevel's location custom fields). Files can be uploaded only into
/// fields whose data type is ``fileUploadType``.
public struct CustomField: Sendable, Hashable {
    /// The data type of file fields.
    public static let fileUploadType = "FILE_UPLOAD"

    /// A 20-character id, like HighLevel's.
    public var id: String
    public var tenantID: Int64
    /// `model.snake_case_name`, set when the field is created.
    public var fieldKey: String
    public var definition: CustomFieldDefinition
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, tenantID: Int64, fieldKey: String, definition: CustomFieldDefinition, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.tenantID = tenantID
        self.fieldKey = fieldKey
        self.definition = definition
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var isFileField: Bool { definition.dataType == Self.fileUploadType }
}
