public import AttacheCore
public import Foundation
import Logging

/// Draws preview images with external tools (for ``ToolDeriver``): images through libvips'
/// `vipsthumbnail` with its untrusted loaders blocked (`VIPS_BLOCK_UNTRUSTED`: no ImageMagick, no
/// SVG, no PDF through it), a PDF's first page through poppler's `pdftoppm` first — each in a
/// ``SandboxedTool`` limited to 30 s, 30 s of CPU and 1 GiB of address space. Both sizes are WebP; the
/// small one is made from the large one, so the content is decoded once.
public struct ToolPreviewRenderer: Sendable {
    public let vipsthumbnail: SandboxedTool?
    public let pdftoppm: SandboxedTool?
    let limits: ToolLimits

    public static let defaultLimits = ToolLimits(wallClock: .seconds(30), cpuSeconds: 30, addressSpaceBytes: 1 << 30, fileSizeBytes: 64 << 20)

    /// libvips' settings for every run: untrusted loaders refused, one thread (a node works as many
    /// jobs at once as it has cores), no operation cache kept in memory.
    static let vipsEnvironment = ["VIPS_BLOCK_UNTRUSTED": "1", "VIPS_CONCURRENCY": "1"]

    public init(
        vipsthumbnail: SandboxedTool? = SandboxedTool("vipsthumbnail"), pdftoppm: SandboxedTool? = SandboxedTool("pdftoppm"),
        limits: ToolLimits = Self.defaultLimits
    ) {
        self.vipsthumbnail = vipsthumbnail
        self.pdftoppm = pdftoppm
        self.limits = limits
    }

    /// What a server logs at start: which tools were found.
    public func describe(to logger: Logger) {
        if let vipsthumbnail {
            logger.info("previews", metadata: ["vipsthumbnail": "\(vipsthumbnail.executable)", "pdftoppm": "\(pdftoppm?.executable ?? "none")"])
        } else {
            logger.warning("vipsthumbnail not found (Debian: libvips-tools): no preview images are made, and their jobs fail")
        }
        if pdftoppm == nil {
            logger.warning("pdftoppm not found (Debian: poppler-utils): PDFs get no preview image, and their jobs fail")
        }
    }

    public func makePreviews(from file: URL, source: PreviewSource, in folder: URL) async throws -> [RenderedPreview] {
        guard let vipsthumbnail else { throw DerivationFailure.permanent("vipsthumbnail is not installed") }
        var image = file.lastPathComponent
        if source == .pdf {
            guard let pdftoppm else { throw DerivationFailure.permanent("pdftoppm is not installed") }
            let box = PreviewSize.large.box
            let exit = try await pdftoppm.run(
                ["-q", "-f", "1", "-l", "1", "-scale-to", "\(box)", "-singlefile", "-png", image, "page"], in: folder, limits: limits
            )
            try Self.require(exit, of: "pdftoppm")
            image = "page.png"
        }
        var rendered: [RenderedPreview] = []
        // Largest first: each smaller image is drawn from the one before it.
        for size in PreviewSize.allCases.sorted(by: { $0.box > $1.box }) {
            let output = "\(size.rawValue).webp"
            let exit = try await vipsthumbnail.run(
                [image, "--size", "\(size.box)x\(size.box)>", "-o", "\(output)[Q=80,strip]"], in: folder, limits: limits, environment: Self.vipsEnvironment
            )
            try Self.require(exit, of: "vipsthumbnail")
            rendered.append(RenderedPreview(size: size, file: folder.appendingPathComponent(output), mediaType: "image/webp"))
            image = output
        }
        return rendered
    }

    /// A tool that did not exit with 0 could not read the content: that does not change on a retry.
    private static func require(_ exit: ToolExit, of tool: String) throws {
        guard exit != .exited(0) else { return }
        if case .exited(let status) = exit {
            throw DerivationFailure.permanent("\(tool) could not read the content (status \(status))")
        }
        throw DerivationFailure.permanent("\(tool) \(exit)")
    }
}
