import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Bad days: downloads racing deletes, blank and odd inputs from real browsers, re-sent slots.
@Suite("Hardening")
struct HardeningTests {
    /// The headers of a 200 promise every byte; deleting the file and collecting its content with no
    /// grace period while the body is still in flight must not cut the body short.
    @Test func aDownloadRacingADeleteAndGcDeliversEveryByte() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let pdf = Samples.pdf(size: 24 * 1024 * 1024, seed: 3)
            let attachment = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "big.pdf", bytes: pdf)).jsonObject()
            let uuid = try #require(attachment["uuid"] as? String)
            var request = HTTPClientRequest(url: server.baseURL + "/v1/attachments/\(uuid)/download")
            request.headers.add(name: "Authorization", value: "Bearer \(server.readToken)")
            let response = try await server.client.execute(request, timeout: .seconds(60))
            #expect(response.status == .ok)
            #expect(try await server.send(.DELETE, "/v1/attachments/\(uuid)", token: server.writeToken).status == 204)
            _ = try await server.service.collectGarbage(grace: 0)
            #expect(server.blobFiles().isEmpty, "the content is gone from storage")
            let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
            #expect(body.readableBytes == pdf.count)
            #expect(SHA256.hash(data: Array(body.readableBytesView)) == SHA256.hash(data: pdf))
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken).status == 404)
        }
    }

    /// A browser form submitted with no file chosen sends a part with `filename=""` and no bytes:
    /// that is no file (ASP.NET and PHP drop it), so every face answers its "no file" error and
    /// nothing is stored or left staged.
    @Test func aBlankFileInputIsNoFileOnEveryFace() async throws {
        try await TestServer.with { server in
            let contact = try await server.record(type: "contact")
            let person = try await server.record(type: "person", externalIdentifier: "crm-1")
            let field = try await HighLevelFaceTests.fileField(server)
            let bloxs = try await BloxsFaceTests.signIn(server)
            let onlyOffice = try await OnlyOfficeFaceTests.signIn(server)
            let routes: [(path: String, part: String, auth: (String, String), headers: [(String, String)], status: Int)] = [
                ("/v1/records/\(contact.uuid)/attachments", "file", ("Authorization", "Bearer \(server.writeToken)"), [], 400),
                ("/v1/files", "file", ("Authorization", "Bearer \(server.writeToken)"), [], 400),
                ("/api/v1/relations/persons/files?externalIdentifier=crm-1", "File", ("Authorization", "Bearer \(bloxs)"), [], 400),
                ("/api/2.0/crm/contact/\(contact.id)/files/upload", "file", ("Authorization", onlyOffice), [], 400),
                ("/contacts/\(contact.uuid)/attachments", "upload", ("Authorization", "Bearer \(server.writeToken)"), [], 422),
                (
                    "/forms/upload-custom-files?contactId=\(contact.uuid)&locationId=acme", "\(field)_blank",
                    ("Authorization", "Bearer \(server.writeToken)"), [HighLevelFaceTests.version], 400
                ),
            ]
            for route in routes {
                var form = MultipartForm()
                form.addField("description", "nothing chosen")
                form.addFile(route.part, fileName: "", bytes: [])
                form.close()
                let response = try await server.sendRaw(
                    .POST, route.path, headers: [route.auth, ("Content-Type", form.contentType)] + route.headers, body: form.body
                )
                #expect(response.status == route.status, "\(route.path): \(response.text)")
            }
            _ = person
            let files = try await server.send(.GET, "/v1/records/\(contact.uuid)/attachments", token: server.readToken).jsonObject()
            #expect((files["items"] as? [Any])?.isEmpty == true)
            #expect(server.stagedFiles().isEmpty)
            #expect(server.blobFiles().isEmpty)
        }
    }

    /// Old Windows browsers send the whole path, unescaped; the name is its last segment.
    @Test func windowsPathsKeepTheirLastSegment() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let stored = try await server.upload(
                "/v1/records/\(record)/attachments", token: server.writeToken,
                form: .file(fileName: #"C:\Users\jan\payslip.pdf"#, bytes: Samples.pdf())
            ).jsonObject()
            #expect(stored["name"] as? String == "payslip.pdf")
        }
    }

    /// Sending a file again into the same HighLevel slot replaces the one there: nothing hidden stays
    /// behind to count against `maxNumberOfFiles`.
    @Test func resendingAHighLevelSlotReplacesItsFile() async throws {
        try await TestServer.with { server in
            let contact = try await server.record(type: "contact")
            let scans = try await HighLevelFaceTests.fileField(server, name: "Scans", maximum: 2)
            for seed in UInt8(1)...3 {
                let response = try await HighLevelFaceTests.upload(
                    server, contact: contact.uuid, parts: [("\(scans)_same", "scan.pdf", Samples.pdf(seed: seed))]
                )
                #expect(response.status == 200 || response.status == 201, "\(response.text)")
            }
            let other = try await HighLevelFaceTests.upload(server, contact: contact.uuid, parts: [("\(scans)_other", "b.pdf", Samples.pdf(seed: 9))])
            #expect(other.status == 200 || other.status == 201, "\(other.text)")
            let list = try await server.send(.GET, "/v1/records/\(contact.uuid)/attachments", token: server.readToken).jsonObject()
            #expect((list["items"] as? [Any])?.count == 2)
        }
    }
}

/// Every number a request carries — query, path, header, JSON, form field, range, cursor, signed link —
/// fed the values that break naive parsing: the server answers each with a status below 500 and stays up.
@Suite("Extreme numbers")
struct ExtremeNumberTests {
    static let values = [
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "2147483648",
        "-1", "0", "1", "00000000000000000000001", "99999999999999999999999999999", "1e309", "-0", "+5", "0x10",
        "NaN", "Infinity", "", "%20", "%00", "1.5", "١٢", "c", "c-1", "czzzzzzzzzzzzzzzzz",
    ]

    @Test func everyRouteThatTakesANumberAnswersBelow500() async throws {
        try await TestServer.with { server in
            let contact = try await server.record(type: "contact")
            let attachment = try await server.upload(
                "/v1/records/\(contact.uuid)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf())
            ).jsonObject()
            let uuid = try #require(attachment["uuid"] as? String)
            let onlyOffice = try await OnlyOfficeFaceTests.signIn(server)
            let bearer = ("Authorization", "Bearer \(server.writeToken)")
            var failures: [String] = []
            func check(_ method: HTTPMethod, _ path: String, headers: [(String, String)], body: String? = nil) async throws {
                let response = try await server.sendRaw(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
                if response.status >= 500 { failures.append("\(method) \(path) \(headers.last ?? ("", "")) → \(response.status)") }
            }
            for raw in Self.values {
                let value = raw.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? raw
                try await check(.GET, "/attachments?page=\(value)&per_page=\(value)", headers: [bearer])
                try await check(.GET, "/attachments?page=\(value)", headers: [bearer])
                try await check(.GET, "/v1/records?limit=\(value)&cursor=\(value)", headers: [bearer])
                try await check(.GET, "/v1/records/\(contact.uuid)/attachments?limit=\(value)&cursor=c\(value)", headers: [bearer])
                try await check(.GET, "/v1/files/\(value)", headers: [bearer])
                try await check(.DELETE, "/v1/files/\(value)", headers: [bearer])
                try await check(.GET, "/api/2.0/crm/contact/\(value)/files", headers: [("Authorization", onlyOffice)])
                try await check(.DELETE, "/api/2.0/crm/files/\(value)", headers: [("Authorization", onlyOffice)])
                try await check(.GET, "/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=\(value)", headers: [("Authorization", onlyOffice)])
                for range in ["bytes=\(raw)-", "bytes=0-\(raw)", "bytes=-\(raw)", "bytes=\(raw)-\(raw)"] {
                    try await check(.GET, "/v1/attachments/\(uuid)/download", headers: [bearer, ("Range", range)])
                }
                try await check(.GET, "/v1/attachments/\(uuid)/download?tenant=acme&expires=\(value)&signature=x", headers: [])
                let json = raw.isEmpty ? "null" : raw
                try await check(
                    .POST, "/locations/acme/customFields", headers: [bearer, HighLevelFaceTests.version, ("Content-Type", "application/json")],
                    body: "{\"name\":\"n\",\"dataType\":\"FILE_UPLOAD\",\"maxNumberOfFiles\":\(json),\"position\":\(json)}"
                )
                try await check(
                    .POST, "/v1/records/\(contact.uuid)/attachments", headers: [bearer, ("Content-Type", "application/json")],
                    body: "{\"fileIds\":[\(json)]}"
                )
            }
            #expect(failures.isEmpty, "\(failures.prefix(20))")
            #expect(try await server.send(.GET, "/healthz").status == 200)
        }
    }
}

/// How each vendor's framework answers around the documented page: HEAD on GET routes, a wrong
/// method on a known path, one `Content-Type` per response.
@Suite("Framework habits")
struct FrameworkHabitTests {
    @Test func aWrongMethodOnAKnownPathIsAnsweredInTheFacesShape() async throws {
        try await TestServer.with { server in
            let contact = try await server.record(type: "contact")
            let bearer = ("Authorization", "Bearer \(server.writeToken)")
            // Native: RFC 9457 problem, 405, Allow.
            let native = try await server.sendRaw(.PUT, "/v1/records/\(contact.uuid)", headers: [bearer])
            #expect(native.status == 405)
            #expect(native.header("Allow") == "GET, HEAD, PATCH, DELETE")
            #expect(native.header("Content-Type") == "application/problem+json")
            #expect(try native.jsonObject()["code"] as? String == "method_not_allowed")
            // Bloxs (ASP.NET endpoint routing): empty 405 with Allow.
            let bloxs = try await server.sendRaw(.GET, "/api/v1/relations/persons/files", headers: [bearer])
            #expect(bloxs.status == 405)
            #expect(bloxs.header("Allow") == "POST")
            #expect(bloxs.body.readableBytes == 0)
            // PropertyDeck (Laravel): 405 JSON message naming the supported methods.
            let deck = try await server.sendRaw(.POST, "/attachments", headers: [bearer])
            #expect(deck.status == 405)
            #expect((try deck.jsonObject()["message"] as? String)?.contains("Supported methods: GET, HEAD") == true)
            // HighLevel (Express): no 405, NestJS's 404 for the route.
            let highLevel = try await server.sendRaw(.DELETE, "/contacts/\(contact.uuid)", headers: [bearer, HighLevelFaceTests.version])
            #expect(highLevel.status == 404)
            #expect(try highLevel.jsonObject()["message"] as? String == "Cannot DELETE /contacts/\(contact.uuid)")
            // ONLYOFFICE: the portal's envelope.
            let onlyOffice = try await server.sendRaw(.PUT, "/api/2.0/crm/files/1", headers: [bearer])
            #expect(onlyOffice.status == 405)
            #expect(try onlyOffice.jsonObject()["statusCode"] as? Int == 405)
        }
    }

    @Test func everyGetRouteAnswersHead() async throws {
        try await TestServer.with { server in
            let contact = try await server.record(type: "contact")
            let bearer = ("Authorization", "Bearer \(server.writeToken)")
            for (path, extra) in [
                ("/v1/records/\(contact.uuid)", [(String, String)]()), ("/v1/records?limit=1", []), ("/attachments", []),
                ("/contacts/\(contact.uuid)", [HighLevelFaceTests.version]), ("/healthz", []),
            ] {
                let get = try await server.sendRaw(.GET, path, headers: [bearer] + extra)
                let head = try await server.sendRaw(.HEAD, path, headers: [bearer] + extra)
                #expect(head.status == get.status, "\(path)")
                #expect(head.body.readableBytes == 0, "\(path)")
                #expect(head.header("Content-Type") == get.header("Content-Type"), "\(path)")
            }
        }
    }

    @Test func bloxsErrorsCarryOneContentType() async throws {
        try await TestServer.with { server in
            let token = try await BloxsFaceTests.signIn(server)
            let response = try await server.sendRaw(
                .POST, "/api/v1/relations/persons/files?externalIdentifier=nobody", headers: [("Authorization", "Bearer \(token)")]
            )
            #expect(response.status == 404)
            #expect(response.headers["Content-Type"] == ["application/problem+json; charset=utf-8"])
        }
    }
}
