/// What a client defines of a ``CustomField``: name, type and, for file fields, what it accepts.
public struct CustomFieldDefinition: Sendable, Hashable {
    public var name: String
    public var dataType: String
    public var placeholder: String?
    public var position: Int
    public var model: String
    public var acceptedFormats: [String]
    public var allowsMultipleFiles: Bool
    public var maximumFiles: Int?

    public init(
        name: String, dataType: String, placeholder: String? = nil, position: Int = 0, model: String = "contact",
        acceptedFormats: [String] = [], allowsMultipleFiles: Bool = false, maximumFiles: Int? = nil
    ) {
        self.name = name
        self.dataType = dataType
        self.placeholder = placeholder
        self.position = position
        self.model = model
        self.acceptedFormats = acceptedFormats
        self.allowsMultipleFiles = allowsMultipleFiles
        self.maximumFiles = maximumFiles
    }
}
