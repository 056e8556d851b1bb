import AttacheCore
import AttacheExtraction
import AttacheTestSupport
import Foundation
import Testing

/// The text of stored content, read by derived jobs with the real tools (poppler's `pdftotext`, which
/// the test command installs) over real HTTP uploads, and found by search (on SQLite, and in the test
/// command's second pass on PostgreSQL + S3): PDFs with and without a text layer, plain text, a PDF no
/// reader opens, and tools that hang or crash — every job ends done or failed, and the server answers.
@Suite("Text of content", .timeLimit(.minutes(3)))
struct DerivedTextTests {
    static func settings(_ server: TestServer) -> DerivationSettings {
        DerivationSettings(workers: 2, scratchFolder: server.folder.appendingPathComponent("scratch", isDirectory: true), idlePoll: .milliseconds(50))
    }

    static func pdftotext() throws -> SandboxedTool {
        try #require(SandboxedTool("pdftotext"), "poppler-utils (pdftotext) is installed by scripts/test.sh")
    }

    @Test func theTextOfPDFsAndPlainTextIsFoundInItsTenantOnly() async throws {
        let extractor = ToolDeriver(text: ToolTextExtractor(pdftotext: try Self.pdftotext()))
        try await TestServer.with { server in
            let record = try await server.record(type: "property", title: "Keizersgracht 12")
            let certificate = Samples.textPDF(pages: [["Gas Safety Record", "Landlord: Jansen"], ["Uberprufung bestanden, boiler serviced"]])
            _ = try await ShareTests.attach(server, record: record.uuid, name: "certificate.pdf", bytes: certificate)
            _ = try await ShareTests.attach(server, record: record.uuid, name: "scan.pdf", bytes: Samples.pdfWithoutText)
            _ = try await ShareTests.attach(server, record: record.uuid, name: "broken.pdf", bytes: Samples.pdf(seed: 5))
            _ = try await ShareTests.attach(server, record: record.uuid, name: "notes.txt", bytes: Array("meter reading 4411 in the cellar\n".utf8))
            _ = try await ShareTests.attach(server, record: record.uuid, name: "lease.docx", bytes: Samples.docx(paragraphs: ["Huurovereenkomst", "Verhuurder: Jansen"]))
            _ = try await ShareTests.attach(server, record: record.uuid, name: "readings.xlsx", bytes: Samples.xlsx(strings: ["Waterstand"], numbers: [90210]))
            let theirs = try await server.record(type: "property", title: "Elsewhere", token: server.otherToken)
            let form = MultipartForm.file(fileName: "same-certificate.pdf", bytes: certificate)
            #expect(try await server.upload("/v1/records/\(theirs.uuid)/attachments", token: server.otherToken, form: form).status == 201)

            let settings = Self.settings(server)
            let tally = try await server.service.workDerivationQueue(settings, deriver: extractor)
            var expected = DerivationTally()
            // Text of six contents and preview images of the three PDFs poppler opens; the broken PDF
            // fails both for good.
            (expected.done, expected.failed) = (9, 2)
            #expect(tally == expected, "the broken PDF fails for good; the rest are read")
            #expect(try FileManager.default.contentsOfDirectory(atPath: settings.scratchFolder.path).isEmpty, "scratch folders are removed")
            #expect(try await server.service.metadata.countDerivationJobs() == ["done": 9, "failed": 2])

            // Words of the second page, accents folded, with a snippet of the text around them.
            let found = try await server.send(.GET, "/v1/search?q=boiler%20%C3%BCberpr%C3%BCfung", token: server.readToken)
            let hits = try #require(try found.jsonObject()["items"] as? [[String: Any]])
            #expect(hits.count == 1 && (hits.first?["attachment"] as? [String: Any])?["name"] as? String == "certificate.pdf", "\(found.text)")
            let snippet = try #require(hits.first?["snippet"] as? [[String: Any]])
            #expect(snippet.filter { $0["match"] as? Bool == true }.count >= 2 && snippet.contains { ($0["text"] as? String)?.contains("bestanden") == true }, "\(snippet)")
            for (words, name) in [("cellar", "notes.txt"), ("huurovereenkomst", "lease.docx"), ("waterstand%2090210", "readings.xlsx")] {
                let found = try await server.send(.GET, "/v1/search?q=\(words)", token: server.readToken).jsonObject()
                let names = (found["items"] as? [[String: Any]])?.compactMap { ($0["attachment"] as? [String: Any])?["name"] as? String }
                #expect(names == [name], "\(words)")
            }
            let theirHits = try await server.send(.GET, "/v1/search?q=boiler", token: server.otherToken).jsonObject()["items"] as? [[String: Any]]
            #expect(theirHits?.count == 1 && (theirHits?.first?["attachment"] as? [String: Any])?["name"] as? String == "same-certificate.pdf")

            // The scan has no text layer: recorded as such, and nothing of it is found.
            let scan = BlobAddress(tenantID: server.tenant.id, sha256: SHA256Helper.hex(Samples.pdfWithoutText))
            #expect(try await server.service.metadata.derivedText(of: scan) == DerivedText(status: .noTextLayer, text: ""))
        }
    }

    /// A tool that hangs is killed at its time limit, one that crashes is seen to; both jobs fail for
    /// good (not retried in a storm), and the server answers throughout. (The tool stands in for a
    /// `pdftotext` that a crafted PDF sends into a loop or a crash.)
    @Test func aToolThatHangsOrCrashesFailsItsJobAndNothingElse() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attache-tools-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, script) in [("hangs", "#!/bin/sh\nexec sleep 60\n"), ("crashes", "#!/bin/sh\nkill -SEGV $$\n")] {
            let path = folder.appendingPathComponent(name).path
            try Data(script.utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        try await TestServer.with { server in
            let record = try await server.record(type: "property", title: "Keizersgracht 12")
            for (index, tool) in ["hangs", "crashes"].enumerated() {
                _ = try await ShareTests.attach(server, record: record.uuid, name: "\(tool).pdf", bytes: Samples.textPDF(pages: [["page \(index)"]]))
                let sandboxed = try #require(SandboxedTool(folder.appendingPathComponent(tool).path))
                var limits = ToolTextExtractor.defaultLimits
                limits.wallClock = .seconds(1)
                let started = ContinuousClock.now
                async let answered = server.send(.GET, "/v1/search?q=page", token: server.readToken)
                // Both of the PDF's jobs (its text, its preview images) meet the tool.
                let deriver = ToolDeriver(
                    text: ToolTextExtractor(pdftotext: sandboxed, limits: limits),
                    previews: ToolPreviewRenderer(vipsthumbnail: sandboxed, pdftoppm: sandboxed, limits: limits)
                )
                let tally = try await server.service.workDerivationQueue(Self.settings(server), deriver: deriver)
                var expected = DerivationTally()
                expected.failed = 2
                #expect(tally == expected, "\(tool)")
                #expect(ContinuousClock.now - started < .seconds(10), "\(tool): killed at its limit, not waited for")
                #expect(try await answered.status == 200)
            }
            #expect(try await server.service.metadata.countDerivationJobs() == ["failed": 4])
        }
    }
}
