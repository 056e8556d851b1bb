/// What the server accepts as an upload, on every API face.
public struct UploadPolicy: Sendable, Hashable {
    /// 50 MB, the default per-file limit.
    public static let defaultMaximumFileSize: Int64 = 52_428_800

    /// Largest accepted file, counted on the bytes actually received.
    public var maximumFileSize: Int64
    /// Where a file over ``maximumFileSize`` can still go (resumable uploads that the operator lets be
    /// larger), added to the refusal; `nil` when nowhere.
    public var largerFilesHint: String?
    /// Accepted types, by canonical name (see ``FileType/catalog``).
    public var allowedTypes: [FileType]

    public init(maximumFileSize: Int64 = defaultMaximumFileSize, allowedTypeNames: [String] = FileType.defaultAllowedTypeNames) throws(AttacheError) {
        var types: [FileType] = []
        for name in allowedTypeNames {
            guard let type = FileType.forExtension(name.lowercased()) else {
                throw AttacheError(.invalidInput, "Unknown file type '\(name)' in the allow-list. Known types: \(FileType.catalogList).")
            }
            if !types.contains(type) { types.append(type) }
        }
        self.maximumFileSize = maximumFileSize
        self.allowedTypes = types
    }

    /// Decides the type of a file from its name and the format of its content: the type its
    /// extension names when the content is of that type; without an extension, the first allowed type
    /// of the content's format in the catalogue's order (plain text, not CSV); an image named for
    /// another image type (a PNG saved as `photo.jpg`) is taken as what it is, and stored under its
    /// real extension (``FileType/fileName(for:)``).
    ///
    /// - Throws: ``AttacheError/Code/unsupportedMediaType`` when the type is not allowed, the content is
    ///   executable, or the content does not match the name's extension.
    public func resolveType(fileName: String, format: ContentFormat) throws(AttacheError) -> FileType {
        if format == .executable {
            throw AttacheError(.unsupportedMediaType, "'\(fileName)' contains executable content, which is never accepted.")
        }
        guard let ext = FileNameSanitizer.fileExtension(of: fileName) else {
            guard let type = firstAllowedType(of: format) else {
                throw AttacheError(.unsupportedMediaType, "The content of '\(fileName)' is not of an allowed type (\(allowedList)).")
            }
            return type
        }
        guard let type = allowedTypes.first(where: { $0.matches(extension: ext) }) else {
            throw AttacheError(.unsupportedMediaType, "Files of type .\(ext) are not allowed. Allowed types: \(allowedList).")
        }
        if type.accepts(format) { return type }
        let actual = firstAllowedType(of: format)
        if let actual, format.isRasterImage, type.formats.contains(where: \.isRasterImage) {
            return actual
        }
        let hint = actual.map { " It looks like a .\($0.name) file: rename it to .\($0.name) and upload it again." } ?? ""
        throw AttacheError(.unsupportedMediaType, "The content of '\(fileName)' is not a .\(ext) file." + hint)
    }

    /// The first allowed type, in the catalogue's order, whose content can be of `format`.
    private func firstAllowedType(of format: ContentFormat) -> FileType? {
        FileType.catalog.first { allowedTypes.contains($0) && $0.formats.contains(format) }
    }

    /// Checks a file name alone, before any content arrived (a resumable upload's creation, a rename):
    /// its extension, when it has one, must name an allowed type.
    /// - Throws: ``AttacheError/Code/unsupportedMediaType``.
    public func checkName(_ fileName: String) throws(AttacheError) {
        guard let ext = FileNameSanitizer.fileExtension(of: fileName) else { return }
        guard allowedTypes.contains(where: { $0.matches(extension: ext) }) else {
            throw AttacheError(.unsupportedMediaType, "Files of type .\(ext) are not allowed. Allowed types: \(allowedList).")
        }
    }

    /// The refusal of a file (or body) of `size` bytes over ``maximumFileSize``, the limit as configured,
    /// in human units, with ``largerFilesHint``.
    public func tooLarge(_ what: String, size: Int64? = nil) -> AttacheError {
        let sized = size.map { " (\(ByteCountText.describe($0)))" } ?? ""
        let hint = largerFilesHint.map { " " + $0 } ?? ""
        return AttacheError(.contentTooLarge, "\(what)\(sized) is larger than the largest file accepted, \(ByteCountText.describe(maximumFileSize)).\(hint)")
    }

    /// This policy narrowed by a face whose vendor documents tighter limits: the smaller size limit, and
    /// only the types both allow.
    public func narrowed(maximumFileSize limit: Int64?, allowedTypeNames names: [String]?) -> UploadPolicy {
        var narrowed = self
        if let limit, limit < maximumFileSize {
            narrowed.maximumFileSize = limit
            narrowed.largerFilesHint = nil
        }
        if let names { narrowed.allowedTypes = allowedTypes.filter { names.contains($0.name) } }
        return narrowed
    }

    /// The allowed types as a readable list, e.g. `PDF, DOCX, …`.
    public var allowedList: String {
        allowedTypes.map { $0.name.uppercased() }.joined(separator: ", ")
    }
}
