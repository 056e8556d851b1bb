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
        formats.contains(.text) || formats.contains(.svg)
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
}
