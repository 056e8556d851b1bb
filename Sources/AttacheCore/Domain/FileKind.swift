/// A human-readable classification of a file, derived from its MIME type.
public enum FileKind: String, Sendable, Codable, Hashable, CaseIterable {
    case document = "Document"
    case image = "Image"
    case video = "Video"
    case audio = "Audio"

    /// Classifies a MIME type: `image/*`, `video/*` and `audio/*` map to their kind, anything else is a document.
    public init(mimeType: String) {
        let major = mimeType.lowercased().split(separator: "/", maxSplits: 1).first ?? ""
        switch major {
        case "image": self = .image
        case "video": self = .video
        case "audio": self = .audio
        default: self = .document
        }
    }
}
