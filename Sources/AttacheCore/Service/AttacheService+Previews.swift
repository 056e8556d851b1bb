import Crypto
import Foundation
import Logging
import NIOCore

/// Preview images: made by derived jobs (``DerivationKind/preview``) and stored as content of their
/// own, addressed by their SHA-256 in the tenant of the content they show (``PreviewImage``); served
/// by the faces through ``preview(_:of:size:)`` and ``openPreview(_:of:range:)``.
extension AttacheService {
    /// The largest preview image kept, in bytes: a tool that writes more has not made a preview.
    static let maximumPreviewBytes: Int64 = 8 << 20

    /// The job's work for a preview: an image's header held within the limits before any decoder runs,
    /// then the deriver's images checked (one per size, each inside its box) and stored.
    func makePreviews(
        of content: URL, source: PreviewSource, tenantID: Int64, in folder: URL, settings: DerivationSettings, deriver: any ContentDeriver
    ) async throws -> [PreviewImage] {
        if let format = source.imageFormat {
            try settings.previewLimits.check(try ImageHeader.read(from: content, expecting: format))
        }
        let rendered = try await deriver.makePreviews(from: content, source: source, in: folder)
        guard rendered.map(\.size).sorted(by: { $0.box < $1.box }) == PreviewSize.allCases.sorted(by: { $0.box < $1.box }) else {
            throw DerivationFailure.permanent("the tools made \(rendered.map(\.size.rawValue)), not one image of each size")
        }
        var images: [PreviewImage] = []
        for preview in rendered {
            guard let format = ImageHeader.Format(mediaType: preview.mediaType) else {
                throw DerivationFailure.permanent("the tools made an image of type \(preview.mediaType)")
            }
            let header = try ImageHeader.read(from: preview.file, expecting: format)
            guard header.width <= preview.size.box, header.height <= preview.size.box else {
                throw DerivationFailure.permanent("the \(preview.size.rawValue) image is \(header.width)×\(header.height), larger than its box")
            }
            images.append(try await storePreview(preview, header: header, tenantID: tenantID))
        }
        return images
    }

    /// Stores a rendered image under the SHA-256 of its bytes, read and hashed a chunk at a time.
    private func storePreview(_ preview: RenderedPreview, header: ImageHeader, tenantID: Int64) async throws -> PreviewImage {
        let handle = try FileHandle(forReadingFrom: preview.file)
        defer { try? handle.close() }  // allowed: a read-only handle; its reads threw already if they failed
        let writer = try await blobs.makeWriter(continuing: nil)
        var hash = SHA256()
        var byteCount: Int64 = 0
        let staged: StagedBlob
        do {
            while let chunk = try handle.read(upToCount: 64 * 1024), !chunk.isEmpty {
                byteCount += Int64(chunk.count)
                guard byteCount <= Self.maximumPreviewBytes else {
                    throw DerivationFailure.permanent("the \(preview.size.rawValue) image is larger than \(Self.maximumPreviewBytes >> 20) MiB")
                }
                hash.update(data: chunk)
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            staged = try await writer.finish()
        } catch {
            await writer.abort()
            throw error
        }
        let sha256 = hash.finalize().hexString
        do {
            try await blobs.promote(staged, to: BlobAddress(tenantID: tenantID, sha256: sha256))
        } catch {
            await blobs.discard(staged)
            throw error
        }
        await blobs.discard(staged)
        return PreviewImage(
            size: preview.size, imageSHA256: sha256, mediaType: preview.mediaType, byteCount: byteCount, width: header.width, height: header.height
        )
    }

    /// The preview image of an attachment's content in `size`, or that it is being made. Content stored
    /// before previews were made, or whose images are gone, is queued now.
    /// - Throws: `noPreview` when no preview is made of the content's type; `previewUnavailable` when
    ///   its job failed for good; `contentQuarantined` for quarantined content.
    public func preview(_ principal: Principal, of attached: AttachedFile, size: PreviewSize) async throws -> PreviewLookup {
        let file = attached.file
        guard PreviewSource(mimeType: file.mimeType) != nil else {
            throw AttacheError(.noPreview, "No preview is made of '\(file.name)' (\(file.mimeType)).")
        }
        try requireServable(file)
        if let image = try await metadata.previewImage(of: file.blobAddress, size: size) {
            return .ready(image)
        }
        switch try await metadata.derivationState(of: file.blobAddress, kind: .preview) {
        case .queued: return .pending(.queued)
        case .running: return .pending(.running)
        case .failed:
            throw AttacheError(.previewUnavailable, "No preview could be made of '\(file.name)': its content could not be read as an image.")
        case .done, nil:
            try await metadata.requeueDerivation(of: file.blobAddress, kind: .preview, mimeType: file.mimeType, now: Date())
            return .pending(.queued)
        }
    }

    /// Opens `range` of a preview image of `file` before anything is promised to the client.
    /// - Throws: ``PreviewImageMissing`` when the image is missing from storage (moved or lost), once
    ///   it is queued to be made again.
    public func openPreview(_ image: PreviewImage, of file: StoredFile, range: Range<Int64>) async throws -> PreviewContent {
        let address = image.address(tenantID: file.blobAddress.tenantID)
        guard let reader = try await blobs.open(address, range: range), reader.contentSize == image.byteCount else {
            logger.warning("a preview image is missing from storage: it is made again", metadata: ["blob": "\(address)", "file": "\(file.id)"])
            try await metadata.requeueDerivation(of: file.blobAddress, kind: .preview, mimeType: file.mimeType, now: Date())
            throw PreviewImageMissing(address: address)
        }
        return PreviewContent(reader: reader)
    }
}
