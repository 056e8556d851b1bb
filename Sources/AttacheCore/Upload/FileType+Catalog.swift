extension FileType {
    /// Every type the server knows how to recognise.
    public static let catalog: [FileType] = [
        FileType(name: "pdf", mimeType: "application/pdf", formats: [.pdf]),
        FileType(
            name: "docx",
            mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            formats: [.zip]
        ),
        FileType(name: "doc", mimeType: "application/msword", formats: [.ole2]),
        FileType(name: "jpg", aliases: ["jpeg", "jpe"], mimeType: "image/jpeg", formats: [.jpeg]),
        FileType(name: "png", mimeType: "image/png", formats: [.png]),
        FileType(name: "gif", mimeType: "image/gif", formats: [.gif]),
        FileType(name: "csv", mimeType: "text/csv", formats: [.text]),
        FileType(
            name: "xlsx",
            mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            formats: [.zip]
        ),
        FileType(name: "xls", mimeType: "application/vnd.ms-excel", formats: [.ole2]),
        FileType(name: "mp4", aliases: ["m4v"], mimeType: "video/mp4", formats: [.isoMedia]),
        FileType(name: "mpeg", aliases: ["mpg"], mimeType: "video/mpeg", formats: [.mpegVideo]),
        FileType(name: "zip", mimeType: "application/zip", formats: [.zip]),
        FileType(name: "rar", mimeType: "application/vnd.rar", formats: [.rar]),
        FileType(name: "txt", aliases: ["text", "log"], mimeType: "text/plain", formats: [.text]),
        FileType(name: "svg", mimeType: "image/svg+xml", formats: [.svg]),
        FileType(name: "mp3", mimeType: "audio/mpeg", formats: [.mpegAudio]),
        FileType(name: "wav", mimeType: "audio/wav", formats: [.wav]),
        FileType(name: "m4a", mimeType: "audio/mp4", formats: [.isoMedia]),
        FileType(name: "ogg", aliases: ["oga"], mimeType: "audio/ogg", formats: [.ogg]),
        FileType(name: "webm", mimeType: "video/webm", formats: [.ebml]),
        FileType(name: "mov", mimeType: "video/quicktime", formats: [.isoMedia]),
    ]

    /// The HighLevel list (PDF DOCX DOC JPG JPEG PNG GIF CSV XLSX XLS MP4 MPEG ZIP RAR TXT SVG).
    public static let highLevelTypeNames: [String] = [
        "pdf", "docx", "doc", "jpg", "png", "gif", "csv", "xlsx", "xls", "mp4", "mpeg", "zip", "rar", "txt", "svg",
    ]

    /// The default allow-list: the HighLevel list plus common audio and video formats.
    public static let defaultAllowedTypeNames: [String] = highLevelTypeNames + ["mp3", "wav", "m4a", "ogg", "webm", "mov"]

    /// The catalogued type named by `ext`, if any.
    public static func forExtension(_ ext: String) -> FileType? {
        catalog.first { $0.matches(extension: ext) }
    }
}
