public import NIOCore

/// A preview image's bytes opened for one response. Unlike a file's download it writes no audit
/// event: a list of thumbnails would bury the trail; the attachment's own downloads are audited.
public struct PreviewContent: ContentStream {
    let reader: any BlobReader

    public func stream(into consume: (ByteBuffer) async throws -> Void) async throws {
        try await reader.stream(into: consume)
    }
}
