import AttacheCore
import AttacheTestSupport
import Foundation
import NIOCore
import Testing

/// `GET /v1/records/{uuid}/archive`: a record's attachments as one ZIP that other readers open, whose
/// bytes are the same each time, resumable with `Range`, for a token or the record's signed link.
@Suite("Record archives", .timeLimit(.minutes(3)))
struct ArchiveTests {
    static func write(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("attache-archive-\(UUID().uuidString).zip")
        try Data(bytes).write(to: url)
        return url
    }

    @Test func aRecordsAttachmentsDownloadAsOneZipThatEveryReaderOpens() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact", title: "Jansen – lease 2024")
            let lease = Samples.pdf(size: 5000, seed: 1)
            let signed = Samples.pdf(size: 7000, seed: 2)
            let notes = Array("Keys handed over on 3 May.\n".utf8)
            var uuids: [String] = []
            for (name, bytes) in [("lease.pdf", lease), ("lease.pdf", signed), ("notes.txt", notes)] {
                let response = try await server.upload("/v1/records/\(record.uuid)/attachments", token: server.writeToken, form: .file(fileName: name, bytes: bytes))
                #expect(response.status == 201)
                uuids.append(try #require(try response.jsonObject()["uuid"] as? String))
            }
            let response = try await server.send(.GET, "/v1/records/\(record.uuid)/archive", token: server.readToken)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/zip")
            #expect(response.header("Content-Length") == String(response.body.readableBytes))
            #expect(response.header("Content-Disposition")?.contains("Jansen") == true)
            let etag = try #require(response.header("ETag"))
            #expect(etag.hasPrefix("\"zip-"))
            let url = try Self.write(response.bytes)
            defer { try? FileManager.default.removeItem(at: url) }
            try await ZipReaders.check(
                url, names: ["lease.pdf", "lease (2).pdf", "notes.txt"], sizes: [5000, 7000, Int64(notes.count)], contents: [lease, signed, notes]
            )

            // The same files give the same bytes; a conditional request is answered 304.
            let again = try await server.send(.GET, "/v1/records/\(record.uuid)/archive", token: server.readToken)
            #expect(again.bytes == response.bytes && again.header("ETag") == etag)
            #expect(try await server.send(.GET, "/v1/records/\(record.uuid)/archive", token: server.readToken, headers: [("If-None-Match", etag)]).status == 304)
            let head = try await server.send(.HEAD, "/v1/records/\(record.uuid)/archive", token: server.readToken)
            #expect(head.status == 200 && head.header("Content-Length") == String(response.body.readableBytes) && head.body.readableBytes == 0)

            // A selection of the record's attachments; an attachment of no record of this one is 404.
            let one = try await server.send(.GET, "/v1/records/\(record.uuid)/archive?attachments=\(uuids[2])", token: server.readToken)
            #expect(one.status == 200)
            let oneURL = try Self.write(one.bytes)
            defer { try? FileManager.default.removeItem(at: oneURL) }
            try await ZipReaders.check(oneURL, names: ["notes.txt"], sizes: [Int64(notes.count)], contents: [notes])
            #expect(one.header("ETag") != etag)
            let other = try await server.record(type: "contact")
            #expect(try await server.send(.GET, "/v1/records/\(other.uuid)/archive?attachments=\(uuids[0])", token: server.readToken).status == 404)
            #expect(try await server.send(.GET, "/v1/records/\(record.uuid)/archive?attachments=nope", token: server.readToken).status == 400)
            #expect(try await server.send(.GET, "/v1/records/\(record.uuid)/archive", token: server.otherToken).status == 404)
            #expect(try await server.send(.GET, "/v1/records/\(record.uuid)/archive").status == 401)

            // An empty record is an empty archive; the download is in the trail.
            let empty = try await server.send(.GET, "/v1/records/\(other.uuid)/archive", token: server.readToken)
            #expect(empty.status == 200 && empty.body.readableBytes == 22)
            let trail = try await server.send(.GET, "/v1/audit?action=record.archive&record=\(record.uuid)", token: server.adminToken).jsonObject()
            let events = try #require(trail["items"] as? [[String: Any]])
            #expect(events.count == 3, "two whole archives and one selection")
            #expect(events.first?["size"] as? Int == response.body.readableBytes)
        }
    }

    /// A download cut in the middle and resumed with `Range` and `If-Range` is the same archive.
    @Test func aCutDownloadResumesToTheSameBytes() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "property", title: "Dossier")
            for seed in 1...4 {
                let response = try await server.upload(
                    "/v1/records/\(record.uuid)/attachments", token: server.writeToken, form: .file(fileName: "plan-\(seed).pdf", bytes: Samples.pdf(size: 30_000, seed: UInt8(seed)))
                )
                #expect(response.status == 201)
            }
            let whole = try await server.send(.GET, "/v1/records/\(record.uuid)/archive", token: server.readToken)
            let etag = try #require(whole.header("ETag"))
            let size = whole.body.readableBytes
            let first = try await server.send(.GET, "/v1/records/\(record.uuid)/archive", token: server.readToken, headers: [("Range", "bytes=0-50000")])
            #expect(first.status == 206)
            #expect(first.header("Content-Range") == "bytes 0-50000/\(size)")
            let rest = try await server.send(
                .GET, "/v1/records/\(record.uuid)/archive", token: server.readToken, headers: [("Range", "bytes=50001-"), ("If-Range", etag)]
            )
            #expect(rest.status == 206)
            #expect(SHA256Helper.hex(first.bytes + rest.bytes) == SHA256Helper.hex(whole.bytes))
            // Another archive's validator gets the whole of this one.
            let stale = try await server.send(
                .GET, "/v1/records/\(record.uuid)/archive", token: server.readToken, headers: [("Range", "bytes=50001-"), ("If-Range", "\"zip-0\"")]
            )
            #expect(stale.status == 200 && stale.body.readableBytes == size)
            #expect(try await server.send(.GET, "/v1/records/\(record.uuid)/archive", token: server.readToken, headers: [("Range", "bytes=\(size)-")]).status == 416)
        }
    }

    /// The record's `archiveUrl` is a signed link: it works without a token, and not when changed.
    @Test func theSignedArchiveLinkNeedsNoToken() async throws {
        try await TestServer.with(mode: .router) { server in
            let created = try await server.createRecord(type: "case")
            let uuid = try #require(created["uuid"] as? String)
            _ = try await server.upload("/v1/records/\(uuid)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf()))
            let archiveURL = try #require(created["archiveUrl"] as? String)
            let link = try #require(URLComponents(string: archiveURL))
            let path = link.percentEncodedPath + "?" + (link.percentEncodedQuery ?? "")
            #expect(path.hasPrefix("/v1/records/\(uuid)/archive?"))
            let signed = try await server.send(.GET, path)
            #expect(signed.status == 200 && signed.header("Content-Type") == "application/zip")
            #expect(try await server.send(.GET, path.replacingOccurrences(of: "signature=", with: "signature=x")).status == 403)
        }
    }

    /// Content stored before uploads kept a CRC-32 gets one on its first archive, kept for the next.
    @Test func contentWithoutAChecksumGetsOneOnItsFirstArchive() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact")
            let bytes = Samples.pdf(size: 4000, seed: 7)
            let sha256 = SHA256Helper.hex(bytes)
            let address = BlobAddress(tenantID: server.tenant.id, sha256: sha256)
            let writer = try await server.service.blobs.makeWriter(continuing: nil)
            try await writer.write(ByteBuffer(bytes: bytes))
            let staged = try await writer.finish()
            let metadata = server.service.metadata
            let claims = try await metadata.claimBlobs([address: Int64(bytes.count)])
            try await server.service.blobs.promote(staged, to: address)
            _ = try await metadata.insertFiles(
                [NewFile(name: "old.pdf", size: Int64(bytes.count), mimeType: "application/pdf", kind: .document, sha256: sha256)],
                tenantID: server.tenant.id, link: AttachmentLink(recordID: Int64(record.id), description: nil), claims: claims, audit: AuditContext(actor: .cli)
            )
            #expect(try await metadata.checksums(of: [address]).isEmpty)
            let response = try await server.send(.GET, "/v1/records/\(record.uuid)/archive", token: server.readToken)
            #expect(response.status == 200)
            let url = try Self.write(response.bytes)
            defer { try? FileManager.default.removeItem(at: url) }
            try await ZipReaders.check(url, names: ["old.pdf"], sizes: [Int64(bytes.count)], contents: [bytes])
            var crc = CRC32()
            crc.update(bytes)
            #expect(try await metadata.checksums(of: [address]) == [address: crc.value])
        }
    }
}
