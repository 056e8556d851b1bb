import AttacheCore
import AttacheExtraction
import AttacheTestSupport
import Foundation
import Testing

/// OCR of scans (`--ocr`): a PDF whose page is an image of text is recorded as having no text layer
/// without OCR, and its words are read with it (Tesseract, which the test command installs).
@Suite("Text recognition", .timeLimit(.minutes(2)))
struct TextRecognitionTests {
    @Test func aScanIsReadByOCROnlyWhenItIsOn() async throws {
        let recognition = try #require(TextRecognition(), "tesseract-ocr and poppler-utils are installed by scripts/test.sh")
        let pdftotext = try #require(SandboxedTool("pdftotext"))
        let scan = try await Samples.scannedPDF(lines: ["GAS SAFETY RECORD", "Landlord Jansen", "Boiler serviced in 2024"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attache-ocr-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("content")
        try Data(scan).write(to: file)

        let without = try await ToolTextExtractor(pdftotext: pdftotext).extractText(from: file, source: .pdf)
        #expect(without == DerivedText(status: .noTextLayer, text: ""))
        let with = try await ToolTextExtractor(pdftotext: pdftotext, recognition: recognition).extractText(from: file, source: .pdf)
        #expect(with.status == .recognized)
        for word in ["jansen", "boiler", "2024", "safety"] {
            #expect(with.text.lowercased().contains(word), "\(word) in \(with.text.debugDescription)")
        }
    }
}
