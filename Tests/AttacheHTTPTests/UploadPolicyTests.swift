import AttacheTestSupport
import AttacheCore
import Foundation
import Testing

@Suite("Uploads: size and type rules", .timeLimit(.minutes(3)))
struct UploadPolicyHTTPTests {
    static let limit = 52_428_800

    @Test func fiftyMegabytesIsAcceptedAndOneByteMoreIsNot() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let exact = Samples.pdf(size: Self.limit, seed: 11)
            let accepted = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "big.pdf", bytes: exact))
            #expect(accepted.status == 201)
            #expect(try accepted.jsonObject()["size"] as? Int == Self.limit)
            #expect(try accepted.jsonObject()["sha256"] as? String == SHA256Helper.digest(exact).map { String(format: "%02x", $0) }.joined())
            let blobsBefore = Set(try await server.storedBlobs())

            let tooBig = Samples.pdf(size: Self.limit + 1, seed: 12)
            let refused = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "bigger.pdf", bytes: tooBig))
            #expect(refused.status == 413)
            #expect(refused.header("Content-Type") == "application/problem+json")
            #expect(try refused.jsonObject()["code"] as? String == "content_too_large")
            #expect(try refused.jsonObject()["detail"] as? String == "'bigger.pdf' is larger than the largest file accepted, 50 MiB.")
            #expect(Set(try await server.storedBlobs()) == blobsBefore)
            #expect(try await server.stagedCount() == 0)
            let list = try await server.send(.GET, "/v1/records/\(record)/attachments", token: server.readToken).jsonObject()
            #expect((list["items"] as? [Any])?.count == 1)
        }
    }

    @Test func disguisedExecutablesAndDisallowedTypesAreRefused() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let path = "/v1/records/\(record)/attachments"
            let disguised = try await server.upload(path, token: server.writeToken, form: .file(fileName: "invoice.pdf", bytes: Samples.elf))
            #expect(disguised.status == 415)
            #expect(try disguised.jsonObject()["detail"] as? String == "'invoice.pdf' contains executable content, which is never accepted.")
            let exe = try await server.upload(path, token: server.writeToken, form: .file(fileName: "setup.exe", bytes: Samples.pdf()))
            #expect(exe.status == 415)
            let mismatch = try await server.upload(path, token: server.writeToken, form: .file(fileName: "photo.png", bytes: Samples.pdf()))
            #expect(mismatch.status == 415)
            let binaryCSV = try await server.upload(path, token: server.writeToken, form: .file(fileName: "export.csv", bytes: [0, 1, 2, 3] + Samples.text))
            #expect(binaryCSV.status == 415)
            let csv = try await server.upload(path, token: server.writeToken, form: .file(fileName: "export.csv", bytes: Samples.text))
            #expect(csv.status == 201)
            #expect(try csv.jsonObject()["mimeType"] as? String == "text/csv")
            #expect(try await server.storedBlobs().count == 1)
            #expect(try await server.stagedCount() == 0)
        }
    }

    @Test func aRequestWithoutAFileIsRefused() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            var form = MultipartForm()
            form.addField("description", "nothing attached")
            form.close()
            let response = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: form)
            #expect(response.status == 400)
            #expect(try response.jsonObject()["code"] as? String == "missing_file")
        }
    }
}

@Suite("Uploads: names, digests and types people send", .timeLimit(.minutes(3)))
struct UploadNamingTests {
    @Test func aDigestAfterTheFileIsRefusedNotDropped() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            var form = MultipartForm()
            form.addFile("file", fileName: "lease.pdf", bytes: Samples.pdf())
            form.addField("sha256", String(repeating: "0", count: 64))
            form.close()
            let refused = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: form)
            #expect(refused.status == 400)
            let problem = try refused.jsonObject()
            #expect(problem["code"] as? String == "invalid_input")
            #expect(problem["detail"] as? String == "The sha256 field must come before the file part it checks; no file followed it.")
            #expect(try await server.storedBlobs().isEmpty)
            #expect(try await server.stagedCount() == 0)

            // Before the file it is checked, as the README says.
            var checked = MultipartForm()
            checked.addField("sha256", String(repeating: "0", count: 64))
            checked.addFile("file", fileName: "lease.pdf", bytes: Samples.pdf())
            checked.close()
            let mismatch = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: checked)
            #expect(mismatch.status == 400)
            #expect(try mismatch.jsonObject()["code"] as? String == "digest_mismatch")
        }
    }

    @Test func textWithoutAnExtensionIsPlainText() async throws {
        try await TestServer.with(mode: .router) { server in
            let stored = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "README", bytes: Array("Read me first.\n".utf8)))
            #expect(stored.status == 201)
            #expect(try stored.jsonObject()["name"] as? String == "README.txt")
            #expect(try stored.jsonObject()["mimeType"] as? String == "text/plain")
        }
    }

    @Test func aPNGNamedJPGIsStoredAsPNG() async throws {
        try await TestServer.with(mode: .router) { server in
            let stored = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "IMG_0001.jpg", bytes: Samples.png))
            #expect(stored.status == 201)
            #expect(try stored.jsonObject()["name"] as? String == "IMG_0001.png")
            #expect(try stored.jsonObject()["mimeType"] as? String == "image/png")
        }
    }

    @Test(arguments: [
        ("IMG_2041.heic", [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8) + Array(repeating: 0, count: 64), "image/heic"),
        ("logo.webp", Array("RIFF".utf8) + [0x40, 0, 0, 0] + Array("WEBPVP8 ".utf8) + Array(repeating: 0, count: 64), "image/webp"),
        ("scan.tiff", [0x49, 0x49, 0x2A, 0x00, 0x08, 0, 0, 0] + Array(repeating: 0, count: 64), "image/tiff"),
        ("memo.rtf", Array("{\\rtf1\\ansi Signed.}".utf8), "application/rtf"),
        ("mail.eml", Array("From: jan@example.com\r\nSubject: lease\r\n\r\nSigned.\r\n".utf8), "message/rfc822"),
        ("mail.msg", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 64), "application/vnd.ms-outlook"),
        ("letter.odt", [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 64), "application/vnd.oasis.opendocument.text"),
        ("deck.pptx", [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 64),
         "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ] as [(String, [UInt8], String)])
    func typesPeopleAttachAreStored(fileName: String, bytes: [UInt8], mimeType: String) async throws {
        try await TestServer.with(mode: .router) { server in
            let stored = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: fileName, bytes: bytes))
            #expect(stored.status == 201)
            #expect(try stored.jsonObject()["name"] as? String == fileName)
            #expect(try stored.jsonObject()["mimeType"] as? String == mimeType)
        }
    }

    @Test func aRenameKeepsTheFilesType() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let uploaded = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "lease.pdf", bytes: Samples.pdf()))
            let uuid = try #require(try uploaded.jsonObject()["uuid"] as? String)
            for name in ["evil.exe", "invoice.html", "lease.png"] {
                let refused = try await server.sendJSON(.PATCH, "/v1/attachments/\(uuid)", token: server.writeToken, json: #"{"name":"\#(name)"}"#)
                #expect(refused.status == 409, "\(name)")
                let problem = try refused.jsonObject()
                #expect(problem["detail"] as? String == "'\(name)' is not a name for a .pdf file: a rename keeps the file's type.")
                #expect((problem["errors"] as? [String: Any])?.keys.sorted() == ["name"])
            }
            let bare = try await server.sendJSON(.PATCH, "/v1/attachments/\(uuid)", token: server.writeToken, json: #"{"name":"signed lease"}"#)
            #expect(bare.status == 200)
            #expect(try bare.jsonObject()["name"] as? String == "signed lease.pdf")
            let upper = try await server.sendJSON(.PATCH, "/v1/attachments/\(uuid)", token: server.writeToken, json: #"{"name":"LEASE.PDF"}"#)
            #expect(try upper.jsonObject()["name"] as? String == "LEASE.PDF")
        }
    }

    /// When the operator lets resumable uploads be larger, a refusal for size says where the file can go.
    @Test func aSizeRefusalPointsToResumableUploadsWhenTheyAllowMore() async throws {
        try await TestServer.with(maximumFileSize: 1_000, resumableLimits: ResumableUploadLimits(maximumSize: 1 << 30)) { server in
            let refused = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "big.pdf", bytes: Samples.pdf(size: 2_000)))
            #expect(refused.status == 413)
            #expect(try refused.jsonObject()["detail"] as? String
                == "'big.pdf' is larger than the largest file accepted, 1 kB. Larger files, up to 1 GiB, can be sent as resumable uploads.")
        }
    }
}
