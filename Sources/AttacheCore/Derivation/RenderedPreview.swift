public import Foundation

/// A preview image a ``ContentDeriver`` made, in the job's scratch folder.
public struct RenderedPreview: Sendable, Hashable {
    public var size: PreviewSize
    public var file: URL
    /// The image's MIME type (`image/webp`).
    public var mediaType: String

    public init(size: PreviewSize, file: URL, mediaType: String) {
        self.size = size
        self.file = file
        self.mediaType = mediaType
    }
}
