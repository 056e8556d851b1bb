import AttacheCore
import CAttacheZlib
import Foundation

/// Office documents for the text tests: real DOCX and XLSX structure (the parts a reader needs), and
/// ZIPs that are bombs, written by a small ZIP writer over zlib's deflate.
extension Samples {
    /// A Word document whose body has these paragraphs (an ampersand and accents are written as
    /// XML writes them).
    package static func docx(paragraphs: [String]) -> [UInt8] {
        let body = paragraphs.map { "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr><w:r><w:t xml:space=\"preserve\">\(xmlEscaped($0).replacingOccurrences(of: "\t", with: "</w:t><w:tab/><w:t>"))</w:t></w:r></w:p>" }.joined()
        let document = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)</w:body></w:document>
            """
        return zip([
            ("[Content_Types].xml", Array(contentTypes(main: "/word/document.xml", type: "wordprocessingml.document.main").utf8)),
            ("word/document.xml", Array(document.utf8)),
        ])
    }

    /// An Excel workbook of one sheet: `strings` as shared strings in its first column, `numbers` in its second.
    package static func xlsx(strings: [String], numbers: [Int]) -> [UInt8] {
        let shared = strings.map { "<si><t>\(xmlEscaped($0))</t></si>" }.joined()
        let rows = Swift.zip(strings.indices, numbers).map { index, number in
            "<row r=\"\(index + 1)\"><c r=\"A\(index + 1)\" t=\"s\"><v>\(index)</v></c><c r=\"B\(index + 1)\"><v>\(number)</v></c></row>"
        }.joined()
        return zip([
            ("[Content_Types].xml", Array(contentTypes(main: "/xl/workbook.xml", type: "spreadsheetml.sheet.main").utf8)),
            ("xl/sharedStrings.xml", Array("<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">\(shared)</sst>".utf8)),
            ("xl/worksheets/sheet1.xml", Array("<?xml version=\"1.0\"?><worksheet><sheetData>\(rows)</sheetData></worksheet>".utf8)),
        ])
    }

    /// A Word document whose `word/document.xml` inflates to `megabytes` MiB of spaces from a few KiB,
    /// with the size it declares (`declaring`, or the true one).
    package static func docxBomb(megabytes: Int, declaring: UInt32? = nil) -> [UInt8] {
        let spaces = [UInt8](repeating: 0x20, count: megabytes << 20)
        // Whitespace between elements: nothing a reader keeps, so only the limits stop the inflating.
        let document = Array("<w:document><w:body>".utf8) + spaces + Array("<w:p><w:r><w:t>bomb</w:t></w:r></w:p></w:body></w:document>".utf8)
        return zip([("word/document.xml", document)], declaredSize: declaring)
    }

    private static func contentTypes(main: String, type: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Override PartName="\(main)" ContentType="application/vnd.openxmlformats-officedocument.\(type)+xml"/></Types>
        """
    }

    private static func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A ZIP of deflated entries; `declaredSize` replaces the last entry's inflated size in its headers.
    package static func zip(_ entries: [(String, [UInt8])], declaredSize: UInt32? = nil) -> [UInt8] {
        var file: [UInt8] = []
        var directory: [UInt8] = []
        for (index, (name, content)) in entries.enumerated() {
            let compressed = deflated(content)
            var crc = CRC32()
            content.withUnsafeBytes { crc.update($0) }
            let size = index == entries.count - 1 ? declaredSize ?? UInt32(content.count) : UInt32(content.count)
            let fields = le16(20) + le16(0) + le16(8) + le16(0) + le16(0x21) + le32(crc.value) + le32(UInt32(compressed.count)) + le32(size)
                + le16(UInt16(name.utf8.count)) + le16(0)
            directory += le32(0x0201_4B50) + le16(20) + fields + le16(0) + le16(0) + le16(0) + le32(0) + le32(UInt32(file.count)) + Array(name.utf8)
            file += le32(0x0403_4B50) + fields + Array(name.utf8) + compressed
        }
        let directoryOffset = UInt32(file.count)
        return file + directory + le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(entries.count)) + le16(UInt16(entries.count))
            + le32(UInt32(directory.count)) + le32(directoryOffset) + le16(0)
    }

    /// Raw deflate of `content` (zlib, best compression).
    private static func deflated(_ content: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(&stream, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(content.count))))
        var input = content
        let written = input.withUnsafeMutableBytes { source in
            output.withUnsafeMutableBytes { target in
                stream.next_in = source.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(target.count)
                _ = deflate(&stream, Z_FINISH)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(value >> (8 * $0) & 0xFF) } }
}
