public import AttacheCore
public import Foundation

/// OCR of scanned PDFs (`--ocr`, off by default): the first ``pageLimit`` pages drawn in grey at
/// ``resolution`` dpi by poppler's `pdftoppm`, each read by Tesseract in the ``languages`` given
/// (`eng`, `eng+nld`: Debian's `tesseract-ocr-<language>` packages), every run a ``SandboxedTool``.
public struct TextRecognition: Sendable {
    public let tesseract: SandboxedTool
    public let pdftoppm: SandboxedTool
    public var languages: String
    public var pageLimit: Int
    public var resolution: Int
    /// Per page: Tesseract takes time and memory on a full page.
    public var limits: ToolLimits

    public static let defaultLimits = ToolLimits(wallClock: .seconds(60), cpuSeconds: 60, addressSpaceBytes: 2 << 30, fileSizeBytes: 64 << 20)

    /// `nil` when Tesseract or poppler is not installed.
    public init?(
        languages: String = "eng", pageLimit: Int = 20, resolution: Int = 300, limits: ToolLimits = Self.defaultLimits,
        tesseract: SandboxedTool? = SandboxedTool("tesseract"), pdftoppm: SandboxedTool? = SandboxedTool("pdftoppm")
    ) {
        guard let tesseract, let pdftoppm else { return nil }
        self.tesseract = tesseract
        self.pdftoppm = pdftoppm
        self.languages = languages
        self.pageLimit = pageLimit
        self.resolution = resolution
        self.limits = limits
    }

    /// The recognised text of the PDF at `file` (in its job's scratch folder), page after page, or
    /// empty when no page could be drawn or read.
    func recognize(_ file: URL) async throws -> String {
        let folder = file.deletingLastPathComponent()
        let drawn = try await pdftoppm.run(
            ["-q", "-r", "\(resolution)", "-gray", "-png", "-l", "\(pageLimit)", file.lastPathComponent, "scan"], in: folder, limits: limits
        )
        guard drawn == .exited(0) else { return "" }
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("scan-") && $0.hasSuffix(".png") }
            .sorted { $0.localizedStandardCompare($1) == .orderedAscending }
        var text = ""
        for page in pages {
            let base = String(page.dropLast(4))
            let read = try await tesseract.run([page, base, "-l", languages], in: folder, limits: limits, environment: ["OMP_THREAD_LIMIT": "1"])
            // A page Tesseract cannot read adds nothing; the others still count.
            if read == .exited(0) {
                text += String(decoding: try Data(contentsOf: folder.appendingPathComponent(base + ".txt")), as: UTF8.self) + "\n"
            }
            try FileManager.default.removeItem(at: folder.appendingPathComponent(page))
            if text.utf8.count >= DerivedText.maximumUTF8Count { break }
        }
        return text
    }
}
