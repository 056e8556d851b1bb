import AttacheCore
import Testing

@Suite("File names", .timeLimit(.minutes(3)))
struct FileNameSanitizerTests {
    @Test(arguments: [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\jan\\scan.png", "scan.png"),
        ("bad\u{0}name\u{1F}.txt", "badname.txt"),
        ("  spaced.pdf  ", "spaced.pdf"),
        ("", "file"),
        ("..", "file"),
        ("dir/", "dir"),
        ("Zoe\u{0308}.pdf", "Zoë.pdf"),
        ("evil\u{202E}fdp.exe", "evilfdp.exe"),
        ("計画書.docx", "計画書.docx"),
    ])
    func sanitises(raw: String, expected: String) {
        #expect(FileNameSanitizer.sanitize(raw) == expected)
    }

    @Test func longNamesKeepTheirExtension() {
        let name = String(repeating: "ä", count: 300) + ".pdf"
        let sanitized = FileNameSanitizer.sanitize(name)
        #expect(sanitized.utf8.count <= 255)
        #expect(sanitized.hasSuffix(".pdf"))
    }

    @Test func extensions() {
        #expect(FileNameSanitizer.fileExtension(of: "a.PDF") == "pdf")
        #expect(FileNameSanitizer.fileExtension(of: ".profile") == nil)
        #expect(FileNameSanitizer.fileExtension(of: "noext") == nil)
    }
}
