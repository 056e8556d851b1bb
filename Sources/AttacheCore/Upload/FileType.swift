/// A file type the server can accept: its canonical extension, MIME type and the content formats that prove it.
public struct FileType: Sendable, Hashable {
    /// Canonical lower-case extension, also the type's name in configuration (`pdf`, `docx`, …).
    public var name: String
    /// Other extensions that mean the same type (`jpeg` for `jpg`).
    public var aliases: [String]
    public var mimeType: String
    /// Formats whose signature this type's content must have.
    public var formats: Set<ContentFormat>
    /// Text types are checked byte by byte over the whole content.
    public var isText: Bool {
        formats.contains { $0.isTextual }
    }

    public init(name: String, aliases: [String] = [], mimeType: String, formats: Set<ContentFormat>) {
        self.name = name
        self.aliases = aliases
        self.mimeType = mimeType
        self.formats = formats
    }

    /// Whether `ext` (lower case, no dot) names this type.
    public func matches(extension ext: String) -> Bool {
        name == ext || aliases.contains(ext)
    }

    /// Whether content of `format` can be a file of this type: its own formats, and for plain text
    /// types every textual format (an SVG or RTF saved as `.txt` is still text).
    public func accepts(_ format: ContentFormat) -> Bool {
        formats.contains(format) || (formats.contains(.text) && format.isTextual)
    }

    /// `name` under this type: kept when its extension names this type, else given this type's
    /// extension — added when it has none, replacing one that names another type.
    public func fileName(for name: String) -> String {
        guard let ext = FileNameSanitizer.fileExtension(of: name), let dot = name.lastIndex(of: ".") else { return name + "." + self.name }
        guard !matches(extension: ext) else { return name }
        return name[...dot] + self.name
    }
}
