import AttacheExtraction
import CAttacheZlib
import Foundation

/// Real PDFs, written here object by object with a correct cross-reference table, so readers such as
/// poppler's `pdftotext` open them without repairing anything.
extension Samples {
    /// A PDF of one page per entry of `pages`, each line of it written in Helvetica: a text layer.
    package static func textPDF(pages: [[String]]) -> [UInt8] {
        pdf(pages: pages.map { lines in
            var content = "BT /F1 14 Tf 72 760 Td 18 TL\n"
            for line in lines {
                let escaped = line.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
                content += "(\(escaped)) Tj T*\n"
            }
            return content + "ET\n"
        })
    }

    /// A one-page PDF that draws shapes only, as a scan's page holds an image: no text layer.
    package static let pdfWithoutText: [UInt8] = pdf(pages: ["0.2 0.4 0.6 rg 72 600 300 120 re f 0 0 0 RG 4 w 72 500 m 372 560 l S\n"])

    /// A scan: one page that is an image of `lines` written large (drawn from ``textPDF(pages:)`` by
    /// poppler's `pdftoppm` at 150 dpi, in grey), without a text layer — what OCR is for.
    package static func scannedPDF(lines: [String]) async throws -> [UInt8] {
        guard let pdftoppm = SandboxedTool.locate("pdftoppm") else { throw TestFailure("pdftoppm (poppler-utils) is installed by scripts/test.sh") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attache-scan-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(textPDF(pages: [lines])).write(to: folder.appendingPathComponent("text.pdf"))
        let run = try ChildProcess(pdftoppm, arguments: ["-r", "150", "-gray", "-singlefile", "text.pdf", "page"], environment: [:], in: folder.path)
        guard await run.exit() == .exited(0) else { throw TestFailure("pdftoppm could not draw the page") }
        // A binary PGM: "P5", width, height, 255, then one byte a pixel.
        let pgm = Array(try Data(contentsOf: folder.appendingPathComponent("page.pgm")))
        var fields: [String] = []
        var at = 0
        while fields.count < 4 {
            while pgm[at] == 0x20 || pgm[at] == 0x0A { at += 1 }
            let start = at
            while pgm[at] != 0x20 && pgm[at] != 0x0A { at += 1 }
            fields.append(String(decoding: pgm[start..<at], as: UTF8.self))
        }
        let pixels = Array(pgm[(at + 1)...])
        guard fields[0] == "P5", let width = Int(fields[1]), let height = Int(fields[2]) else { throw TestFailure("not a PGM: \(fields)") }
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(pixels.count))))
        var length = uLongf(compressed.count)
        guard compress2(&compressed, &length, pixels, uLong(pixels.count), 6) == Z_OK else { throw TestFailure("zlib could not compress") }
        let image = Array("<< /Type /XObject /Subtype /Image /Width \(width) /Height \(height) /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length \(length) >>\nstream\n".utf8)
            + compressed.prefix(Int(length)) + Array("\nendstream".utf8)
        let draw = "q 612 0 0 792 0 0 cm /Im1 Do Q\n"
        return pdf(objects: [
            Array("<< /Type /Catalog /Pages 2 0 R >>".utf8), Array("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8),
            Array("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>".utf8),
            Array("<< /Length \(draw.utf8.count) >>\nstream\n\(draw)endstream".utf8), image,
        ])
    }

    /// A PDF whose pages draw `contents` (content streams), with Helvetica as font F1.
    private static func pdf(pages contents: [String]) -> [UInt8] {
        var objects: [String] = []
        let pageCount = contents.count
        // 1: catalog, 2: pages, 3: font, then each page and its content stream.
        let kids = (0..<pageCount).map { "\(4 + 2 * $0) 0 R" }.joined(separator: " ")
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        objects.append("<< /Type /Pages /Kids [\(kids)] /Count \(pageCount) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        for (index, content) in contents.enumerated() {
            objects.append(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents \(5 + 2 * index) 0 R >>"
            )
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream")
        }
        return pdf(objects: objects.map { Array($0.utf8) })
    }

    /// A PDF of these objects (numbered from 1; the first is the catalog) and its cross-reference table.
    private static func pdf(objects: [[UInt8]]) -> [UInt8] {
        var bytes = Array("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(bytes.count)
            bytes += Array("\(index + 1) 0 obj\n".utf8) + object + Array("\nendobj\n".utf8)
        }
        let xref = bytes.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return bytes + Array(table.utf8)
    }
}
