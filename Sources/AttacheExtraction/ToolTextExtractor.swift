public import AttacheCore
public import Foundation
import Logging

/// Reads the text of content (for ``ToolDeriver``): PDFs through poppler's `pdftotext` (its first 500
/// pages, in a ``SandboxedTool`` limited to 30 s, 30 s of CPU and 1 GiB of address space); DOCX and
/// XLSX in this process through ``OfficeTextReader`` (zlib, bounded memory, zip bombs refused);
/// plain text and CSV directly, a bounded prefix of them.
public struct ToolTextExtractor: Sendable {
    /// `pdftotext`, sandboxed; `nil` when poppler is not installed (PDFs' jobs then fail, naming it).
    let pdftotext: SandboxedTool?
    let limits: ToolLimits
    /// OCR of PDFs without a text layer; `nil`: they are recorded as ``DerivedText/Status/noTextLayer``.
    let recognition: TextRecognition?

    /// Pages of a PDF whose text is read.
    public static let pdfPageLimit = 500

    public static let defaultLimits = ToolLimits(
        wallClock: .seconds(30), cpuSeconds: 30, addressSpaceBytes: 1 << 30, fileSizeBytes: 4 * DerivedText.maximumUTF8Count
    )

    public init(pdftotext: SandboxedTool? = SandboxedTool("pdftotext"), limits: ToolLimits = Self.defaultLimits, recognition: TextRecognition? = nil) {
        self.pdftotext = pdftotext
        self.limits = limits
        self.recognition = recognition
    }

    /// What a server logs at start: which tools were found, and whether they run without network.
    public func describe(to logger: Logger) {
        if let pdftotext {
            logger.info("text extraction", metadata: [
                "pdftotext": "\(pdftotext.executable)", "networkIsolated": "\(pdftotext.isolatesNetwork)",
                "ocr": "\(recognition.map { "tesseract (\($0.languages))" } ?? "off")",
            ])
        } else {
            logger.warning("pdftotext not found (Debian: poppler-utils): the text of PDFs is not read, and their jobs fail")
        }
    }

    public func extractText(from file: URL, source: TextSource) async throws -> DerivedText {
        switch source {
        case .plain:
            return DerivedText(status: .extracted, text: try Self.readPrefix(of: file))
        case .pdf:
            return try await extractPDFText(from: file)
        case .docx, .xlsx:
            return try OfficeTextReader.text(of: file, source: source)
        }
    }

    private func extractPDFText(from file: URL) async throws -> DerivedText {
        guard let pdftotext else { throw DerivationFailure.permanent("pdftotext is not installed") }
        let folder = file.deletingLastPathComponent()
        let output = folder.appendingPathComponent("text.txt")
        let exit = try await pdftotext.run(
            ["-q", "-l", "\(Self.pdfPageLimit)", "-enc", "UTF-8", file.lastPathComponent, output.lastPathComponent], in: folder, limits: limits
        )
        switch exit {
        case .exited(0):
            break
        case .killed(signal: SIGXFSZ):
            // More text than is kept: what was written is the text's beginning, which is what is kept.
            break
        case .exited(let status):
            throw DerivationFailure.permanent("pdftotext could not read the PDF (status \(status))")
        case .killed, .timedOut:
            throw DerivationFailure.permanent("pdftotext \(exit)")
        }
        let text = try Self.readPrefix(of: output)
        if Self.hasWords(text) { return DerivedText(status: .extracted, text: text) }
        // A scan: its pages' images are read by OCR when it is on.
        if let recognition {
            let recognized = try await recognition.recognize(file)
            if Self.hasWords(recognized) { return DerivedText(status: .recognized, text: recognized) }
        }
        return DerivedText(status: .noTextLayer, text: "")
    }

    static func hasWords(_ text: String) -> Bool {
        text.contains { $0.isLetter || $0.isNumber }
    }

    /// The first ``DerivedText/maximumUTF8Count`` bytes of `file` as UTF-8 (invalid bytes replaced; a
    /// character cut at the end dropped); empty when there is no such file.
    static func readPrefix(of file: URL) throws -> String {
        guard FileManager.default.fileExists(atPath: file.path) else { return "" }
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }  // allowed: a read-only handle; its read threw already if it failed
        let bytes = try handle.read(upToCount: DerivedText.maximumUTF8Count) ?? Data()
        var prefix = Array(bytes)
        if bytes.count == DerivedText.maximumUTF8Count, let lead = prefix.lastIndex(where: { $0 & 0xC0 != 0x80 }) {
            // The limit may have cut the last character: drop it when its lead byte asks for more bytes than follow it.
            let byte = prefix[lead]
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if prefix.count - lead < length { prefix.removeSubrange(lead...) }
        }
        return String(decoding: prefix, as: UTF8.self)
    }
}
