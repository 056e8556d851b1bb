import Foundation

/// A tenant's custom field definition (HighLevel's location custom fields). Files can be uploaded
/// only into fields whose ``dataType`` is ``fileUploadType``.
public struct CustomField: Sendable, Hashable {
    /// The data type of file fields.
    public static let fileUploadType = "FILE_UPLOAD"

    /// A 20-character id, like HighLevel's.
    public var id: String
    public var tenantID: Int64
    public var name: String
    public var fieldKey: String
    public var dataType: String
    public var placeholder: String?
    public var position: Int
    /// `contact` or `opportunity`.
    public var model: String
    /// Extensions with a dot (`.pdf`); empty means every type the server allows.
    public var acceptedFormats: [String]
    public var allowsMultipleFiles: Bool
    /// Most files the field holds; `nil` for no limit beyond the request's.
    public var maximumFiles: Int?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, tenantID: Int64, name: String, fieldKey: String, dataType: String, placeholder: String?,
        position: Int, model: String, acceptedFormats: [String], allowsMultipleFiles: Bool, maximumFiles: Int?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.fieldKey = fieldKey
        self.dataType = dataType
        self.placeholder = placeholder
        self.position = position
        self.model = model
        self.acceptedFormats = acceptedFormats
        self.allowsMultipleFiles = allowsMultipleFiles
        self.maximumFiles = maximumFiles
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var isFileField: Bool { dataType == Self.fileUploadType }
}
