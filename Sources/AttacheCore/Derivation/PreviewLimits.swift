/// The largest images previews are made of, checked from the header before any decoder runs: a
/// decompression bomb (a small file that decodes to gigabytes) is refused for good, in the time it
/// takes to read its header.
public struct PreviewLimits: Sendable, Hashable {
    /// Pixels of every frame together (`--preview-max-pixels`).
    public var maximumPixels: Int
    /// Bytes one decoded frame may take (width × height × bytes per pixel).
    public var maximumDecodedBytes: Int

    public init(maximumPixels: Int = 50_000_000, maximumDecodedBytes: Int = 256 << 20) {
        self.maximumPixels = maximumPixels
        self.maximumDecodedBytes = maximumDecodedBytes
    }

    /// - Throws: ``DerivationFailure`` (permanent) for an image past either limit, or without a pixel.
    public func check(_ header: ImageHeader) throws(DerivationFailure) {
        guard header.width > 0, header.height > 0 else {
            throw .permanent("the \(header.format.rawValue) image has no pixels (\(header.width)×\(header.height))")
        }
        let described = "\(header.width)×\(header.height)" + (header.frames > 1 ? " in \(header.frames) frames" : "")
        guard header.totalPixels <= maximumPixels else {
            throw .permanent("the image is \(described), more than the \(maximumPixels) pixels previews are made of")
        }
        let (decoded, overflow) = (header.width * header.height).multipliedReportingOverflow(by: header.bytesPerPixel)
        guard !overflow, decoded <= maximumDecodedBytes else {
            throw .permanent("the image is \(described), which would take more than \(maximumDecodedBytes >> 20) MiB to decode")
        }
    }
}
