/// What the server accepts as an upload, on every API face.
public struct UploadPolicy: Sendable, Hashable {
    /// 50 MB, the default per-file limit.
    public static let defaultMaximumFileSize: Int64 = 52_428_800

    /// Largest accepted file, counted on the bytes actually received.
    public var maximumFileSize: Int64
    /// Accepted types, by canonical name (see ``FileType/catalog``).
    public var allowedTypes: [FileType]

    public init(maximumFileSize: Int64 = defaultMaximumFileSize, allowedTypeNames: [String] = FileType.defaultAllowedTypeNames) throws(AttacheError) {
        var types: [FileType] = []
        for name in allowedTypeNames {
            guard let type = FileType.forExtension(name.lowercased()) else {
                throw AttacheError(.invalidInput, "Unknown file type '\(name)' in the allow-list.")
            }
            if !types.contains(type) { types.append(type) }
        }
        self.maximumFileSize = maximumFileSize
        self.allowedTypes = types
    }

    /// Decides the type of a file from its name and the format of its content.
    ///
    /// - Throws: ``AttacheError/Code/unsupportedMediaType`` when the type is not allowed, the content is
    ///   executable, or the content does not match the name's extension.
    public func resolveType(fileName: String, format: ContentFormat) throws(AttacheError) -> FileType {
        if format == .executable {
            throw AttacheError(.unsupportedMediaType, "'\(fileName)' contains executable content, which is never accepted.")
        }
        guard let ext = FileNameSanitizer.fileExtension(of: fileName) else {
            guard let type = allowedTypes.first(where: { $0.formats.contains(format) }) else {
                throw AttacheError(.unsupportedMediaType, "The content of '\(fileName)' is not of an allowed type (\(allowedList)).")
            }
            return type
        }
        guard let type = allowedTypes.first(where: { $0.matches(extension: ext) }) else {
            throw AttacheError(.unsupportedMediaType, "Files of type .\(ext) are not allowed. Allowed types: \(allowedList).")
        }
        let textAccepted = type.formats.contains(.text) && format == .svg
        guard type.formats.contains(format) || textAccepted else {
            throw AttacheError(
                .unsupportedMediaType,
                "The content of '\(fileName)' is not a .\(ext) file" + (format == .unknown ? "." : " (it looks like \(format.rawValue)).")
            )
        }
        return type
    }

    /// This policy narrowed by a face whose vendor documents tighter limits: the smaller size limit, and
    /// only the types both allow.
    public func narrowed(maximumFileSize limit: Int64?, allowedTypeNames names: [String]?) -> UploadPolicy {
        var narrowed = self
        if let limit { narrowed.maximumFileSize = min(maximumFileSize, limit) }
        if let names { narrowed.allowedTypes = allowedTypes.filter { names.contains($0.name) } }
        return narrowed
    }

    /// The allowed types as a readable list, e.g. `PDF, DOCX, …`.
    public var allowedList: String {
        allowedTypes.map { $0.name.uppercased() }.joined(separator: ", ")
    }
}
