extension FileType {
    /// Every type the server knows how to recognise. For content whose name has no extension, the
    /// first allowed type of its format is chosen, so each format's most general type comes first
    /// (plain text before CSV, ZIP before the Office packages).
    public static let catalog: [FileType] = [
        FileType(name: "pdf", mimeType: "application/pdf", formats: [.pdf]),
        FileType(name: "txt", aliases: ["text", "log"], mimeType: "text/plain", formats: [.text]),
        FileType(name: "csv", mimeType: "text/csv", formats: [.text]),
        FileType(name: "rtf", mimeType: "application/rtf", formats: [.rtf]),
        FileType(name: "eml", mimeType: "message/rfc822", formats: [.text]),
        FileType(name: "zip", mimeType: "application/zip", formats: [.zip]),
        FileType(
            name: "docx",
            mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            formats: [.zip]
        ),
        FileType(
            name: "xlsx",
            mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            formats: [.zip]
        ),
        FileType(
            name: "pptx",
            mimeType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            formats: [.zip]
        ),
        FileType(name: "odt", mimeType: "application/vnd.oasis.opendocument.text", formats: [.zip]),
        FileType(name: "ods", mimeType: "application/vnd.oasis.opendocument.spreadsheet", formats: [.zip]),
        FileType(name: "odp", mimeType: "application/vnd.oasis.opendocument.presentation", formats: [.zip]),
        FileType(name: "doc", mimeType: "application/msword", formats: [.ole2]),
        FileType(name: "xls", mimeType: "application/vnd.ms-excel", formats: [.ole2]),
        FileType(name: "msg", mimeType: "application/vnd.ms-outlook", formats: [.ole2]),
        FileType(name: "jpg", aliases: ["jpeg", "jpe"], mimeType: "image/jpeg", formats: [.jpeg]),
        FileType(name: "png", mimeType: "image/png", formats: [.png]),
        FileType(name: "gif", mimeType: "image/gif", formats: [.gif]),
        FileType(name: "webp", mimeType: "image/webp", formats: [.webp]),
        FileType(name: "tiff", aliases: ["tif"], mimeType: "image/tiff", formats: [.tiff]),
        FileType(name: "heic", aliases: ["heif"], mimeType: "image/heic", formats: [.heif]),
        FileType(name: "svg", mimeType: "image/svg+xml", formats: [.svg]),
        FileType(name: "mp4", aliases: ["m4v"], mimeType: "video/mp4", formats: [.isoMedia]),
        FileType(name: "mov", mimeType: "video/quicktime", formats: [.isoMedia]),
        FileType(name: "m4a", mimeType: "audio/mp4", formats: [.isoMedia]),
        FileType(name: "mpeg", aliases: ["mpg"], mimeType: "video/mpeg", formats: [.mpegVideo]),
        FileType(name: "webm", mimeType: "video/webm", formats: [.ebml]),
        FileType(name: "mp3", mimeType: "audio/mpeg", formats: [.mpegAudio]),
        FileType(name: "wav", mimeType: "audio/wav", formats: [.wav]),
        FileType(name: "ogg", aliases: ["oga"], mimeType: "audio/ogg", formats: [.ogg]),
        FileType(name: "rar", mimeType: "application/vnd.rar", formats: [.rar]),
    ]

    /// The HighLevel list (PDF DOCX DOC JPG JPEG PNG GIF CSV XLSX XLS MP4 MPEG ZIP RAR TXT SVG).
    public static let highLevelTypeNames: [String] = [
        "pdf", "docx", "doc", "jpg", "png", "gif", "csv", "xlsx", "xls", "mp4", "mpeg", "zip", "rar", "txt", "svg",
    ]

    /// The default allow-list: the HighLevel list, common audio and video formats, and what people
    /// attach besides: phone photos (HEIC), WebP, scans (TIFF), presentations, OpenDocument, RTF and
    /// e-mails (EML, Outlook's MSG).
    public static let defaultAllowedTypeNames: [String] =
        highLevelTypeNames + ["mp3", "wav", "m4a", "ogg", "webm", "mov"]
        + ["heic", "webp", "tiff", "pptx", "odt", "ods", "odp", "rtf", "eml", "msg"]

    /// The catalogued type named by `ext`, if any.
    public static func forExtension(_ ext: String) -> FileType? {
        catalog.first { $0.matches(extension: ext) }
    }

    /// Every catalogued type's name, for messages: `pdf, txt, csv, …`.
    public static var catalogList: String {
        catalog.map(\.name).joined(separator: ", ")
    }
}
