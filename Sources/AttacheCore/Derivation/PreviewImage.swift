/// A preview image of a tenant's content, as the metadata store records it: stored as content of its
/// own in the same blob store, addressed by the SHA-256 of its bytes (``address``), and gone with the
/// content it shows.
public struct PreviewImage: Sendable, Hashable {
    public var size: PreviewSize
    /// The SHA-256 of the image's bytes (hex).
    public var imageSHA256: String
    /// `image/webp`.
    public var mediaType: String
    public var byteCount: Int64
    public var width: Int
    public var height: Int

    public init(size: PreviewSize, imageSHA256: String, mediaType: String, byteCount: Int64, width: Int, height: Int) {
        self.size = size
        self.imageSHA256 = imageSHA256
        self.mediaType = mediaType
        self.byteCount = byteCount
        self.width = width
        self.height = height
    }

    /// Where the image's bytes are: in the tenant of the content it shows.
    public func address(tenantID: Int64) -> BlobAddress {
        BlobAddress(tenantID: tenantID, sha256: imageSHA256)
    }
}
