import AttacheHTTP
import HTTPTypes

/// The tus 1.0 protocol's headers, and where a finished upload's file went.
extension HTTPField.Name {
    static let tusResumable = literal("Tus-Resumable")
    static let tusVersion = literal("Tus-Version")
    static let tusExtension = literal("Tus-Extension")
    static let tusMaxSize = literal("Tus-Max-Size")
    static let tusChecksumAlgorithm = literal("Tus-Checksum-Algorithm")
    static let uploadOffset = literal("Upload-Offset")
    static let uploadLength = literal("Upload-Length")
    static let uploadDeferLength = literal("Upload-Defer-Length")
    static let uploadMetadata = literal("Upload-Metadata")
    static let uploadExpires = literal("Upload-Expires")
    static let uploadChecksum = literal("Upload-Checksum")
    static let uploadConcat = literal("Upload-Concat")
    /// The stored file of a finished upload (`/v1/files/{id}`), and its attachment when it was linked.
    static let attacheFile = literal("Attache-File")
    static let attacheAttachment = literal("Attache-Attachment")
}
