import AttacheCore
import AttacheExtraction
import AttacheTestSupport
import Foundation
import Testing

/// The text of DOCX and XLSX files, read from their XML in this process (zlib), and zip bombs refused
/// as they inflate: by the ratio, by a declared size exceeded, by a declared size past the limits.
@Suite("Office documents' text", .timeLimit(.minutes(1)))
struct OfficeTextTests {
    static func text(_ bytes: [UInt8], _ source: TextSource) async throws -> DerivedText {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("attache-office-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await ToolTextExtractor(pdftotext: nil).extractText(from: file, source: source)
    }

    @Test func aWordDocumentsParagraphsAreRead() async throws {
        let text = try await Self.text(Samples.docx(paragraphs: ["Huurovereenkomst Jansen & Zn.", "Überprüfung <2024>", "Tab\tand 4411"]), .docx)
        #expect(text == DerivedText(status: .extracted, text: "Huurovereenkomst Jansen & Zn.\nÜberprüfung <2024>\nTab\tand 4411\n"))
    }

    @Test func aWorkbooksStringsAndValuesAreReadWithoutSharedIndexes() async throws {
        let text = try await Self.text(Samples.xlsx(strings: ["Meter", "Boiler service"], numbers: [4411, 2024]), .xlsx)
        // Shared strings, then the sheet's own values; the cells' indexes into the strings (0, 1) are not text.
        #expect(text.text == "Meter \nBoiler service \n4411 \n2024 \n", "\(text.text.debugDescription)")
    }

    @Test func zipBombsAreRefusedAsTheyInflate() async throws {
        // 20 MiB of spaces from a few KiB: past 200 times its compressed size once past 1 MiB, and
        // refused there, not once all of it is inflated (the failure says where it stopped).
        do {
            _ = try await Self.text(Samples.docxBomb(megabytes: 20), .docx)
            Issue.record("a 20 MiB bomb was read")
        } catch let failure as DerivationFailure {
            #expect(failure.isPermanent && failure.reason.contains("inflates more than 200 times"), "\(failure)")
            let stoppedAt = failure.reason.split(separator: " ").compactMap { Int($0) }.max() ?? .max
            #expect(stoppedAt >= 1 << 20 && stoppedAt < 2 << 20, "\(failure)")
        }
        // A declared size the content outgrows, and one past the limits before a byte is inflated.
        for declared in [UInt32(1_000), 2_000_000_000] {
            do {
                _ = try await Self.text(Samples.docxBomb(megabytes: 2, declaring: declared), .docx)
                Issue.record("a docx declaring \(declared) bytes was read")
            } catch let failure as DerivationFailure {
                #expect(failure.isPermanent && failure.reason.contains("zip bomb"), "\(failure)")
            }
        }
        // A small entry of spaces is not a bomb, however well it compresses.
        #expect(try await Self.text(Samples.docxBomb(megabytes: 0), .docx).status == .extracted)
    }

    @Test func whatIsNotADocumentFailsForGood() async throws {
        for bytes in [Array("not a zip at all".utf8), Samples.zip([("other.xml", Array("<a/>".utf8))]), Array(Samples.docx(paragraphs: ["x"]).prefix(60))] {
            do {
                _ = try await Self.text(bytes, .docx)
                Issue.record("read \(bytes.count) bytes as a docx")
            } catch let failure as DerivationFailure {
                #expect(failure.isPermanent, "\(failure)")
            }
        }
    }
}
