import HTTPTypes

/// The tus 1.0 protocol's headers, and where a finished upload's file went.
extension HTTPField.Name {
    package static let tusResumable = literal("Tus-Resumable")
    package static let tusVersion = literal("Tus-Version")
    package static let tusExtension = literal("Tus-Extension")
    package static let tusMaxSize = literal("Tus-Max-Size")
    package static let tusChecksumAlgorithm = literal("Tus-Checksum-Algorithm")
    package static let uploadOffset = literal("Upload-Offset")
    package static let uploadLength = literal("Upload-Length")
    package static let uploadDeferLength = literal("Upload-Defer-Length")
    package static let uploadMetadata = literal("Upload-Metadata")
    package static let uploadExpires = literal("Upload-Expires")
    package static let uploadChecksum = literal("Upload-Checksum")
    package static let uploadConcat = literal("Upload-Concat")
    /// The stored file of a finished upload (`/v1/files/{id}`), and its attachment when it was linked.
    package static let attacheFile = literal("Attache-File")
    package static let attacheAttachment = literal("Attache-Attachment")
}
