import AttacheCore
import Foundation

/// The text of office documents, read from their XML inside the ZIP (``ZipArchiveReader`` under
/// ``ZipLimits``, ``MarkupScanner``), in this process and in bounded memory: a Word document's
/// paragraphs (`word/document.xml`: `w:t` runs, `w:tab`, `w:br`, a line per `w:p`), an Excel
/// workbook's shared strings and its sheets' inline strings and values (numbers, dates as stored).
/// Reading stops at ``DerivedText/maximumUTF8Count`` bytes of text.
enum OfficeTextReader {
    static func text(of file: URL, source: TextSource, limits: ZipLimits = ZipLimits()) throws -> DerivedText {
        var zip = try ZipArchiveReader(file: file, limits: limits)
        defer { zip.close() }
        var collector = TextCollector()
        switch source {
        case .docx:
            guard let document = zip.entries.first(where: { $0.name == "word/document.xml" }) else {
                throw DerivationFailure.permanent("the document has no word/document.xml")
            }
            try read(document, of: &zip, into: &collector, texts: ["t"], lineEnds: ["p"], tabs: ["tab"], breaks: ["br", "cr"])
        case .xlsx:
            let sheets = zip.entries.filter { $0.name.hasPrefix("xl/worksheets/sheet") && $0.name.hasSuffix(".xml") }
                .sorted { $0.name.localizedStandardCompare($1.name) == .orderedAscending }
            let strings = zip.entries.filter { $0.name == "xl/sharedStrings.xml" }
            for entry in strings + sheets where !collector.isFull {
                try read(entry, of: &zip, into: &collector, texts: ["t", "v"], lineEnds: ["si", "row"], tabs: [], breaks: [], skipsSharedIndexes: true)
            }
        case .pdf, .plain:
            throw DerivationFailure.permanent("not an office document")
        }
        return DerivedText(status: .extracted, text: collector.text)
    }

    /// The character data inside `texts` elements of `entry`; a line ends after each `lineEnds`
    /// element. With `skipsSharedIndexes`, a cell's value (`v`) that is an index into the shared
    /// strings (`<c t="s">`) is left out: the string itself is read from the shared strings.
    private static func read(
        _ entry: ZipArchiveReader.Entry, of zip: inout ZipArchiveReader, into collector: inout TextCollector,
        texts: Set<Substring>, lineEnds: Set<Substring>, tabs: Set<Substring>, breaks: Set<Substring>, skipsSharedIndexes: Bool = false
    ) throws {
        var scanner = MarkupScanner()
        var depth = 0
        // Tabs and breaks count inside a run (`w:r`) only: a paragraph's properties list tab stops too.
        var runs = 0
        var sharedCell = false
        var lineHasText = false
        try zip.read(entry) { chunk in
            scanner.scan(chunk) { event in
                switch event {
                case .start(let name, let attributes, let selfClosing):
                    if name == "c" { sharedCell = attributes.contains("t=\"s\"") || attributes.contains("t='s'") }
                    if texts.contains(name), !selfClosing, !(skipsSharedIndexes && sharedCell && name == "v") { depth += 1 }
                    if name == "r", !selfClosing { runs += 1 }
                    if runs > 0, tabs.contains(name) { collector.append("\t") }
                    if runs > 0, breaks.contains(name) { collector.append("\n") }
                case .end(let name):
                    if name == "r", runs > 0 { runs -= 1 }
                    if texts.contains(name), depth > 0, !(skipsSharedIndexes && sharedCell && name == "v") {
                        depth -= 1
                        if skipsSharedIndexes { collector.append(" ") }
                    }
                    if lineEnds.contains(name), lineHasText {
                        collector.append("\n")
                        lineHasText = false
                    }
                case .text(let bytes):
                    if depth > 0 {
                        collector.append(bytes)
                        lineHasText = true
                    }
                }
                return !collector.isFull
            }
        }
    }
}

/// Text gathered up to ``DerivedText/maximumUTF8Count`` bytes.
struct TextCollector {
    private var bytes: [UInt8] = []
    var isFull: Bool { bytes.count >= DerivedText.maximumUTF8Count }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ string: String) { append(Array(string.utf8)) }

    mutating func append(_ more: [UInt8]) {
        guard !isFull else { return }
        bytes.append(contentsOf: more.prefix(DerivedText.maximumUTF8Count + 4 - bytes.count))
    }
}
