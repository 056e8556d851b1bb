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
        var bytes = Array("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(bytes.count)
            bytes += Array("\(index + 1) 0 obj\n\(object)\nendobj\n".utf8)
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
