/// Thrown by ``AttacheService/openPreview(_:of:range:)`` when a recorded preview image is missing from
/// storage (a blob migration moves files' content only; or it was lost): the image's job is queued
/// again by then, so the face answers as for an image being made.
public struct PreviewImageMissing: Error, Sendable, Hashable {
    public var address: BlobAddress

    public init(address: BlobAddress) {
        self.address = address
    }
}
