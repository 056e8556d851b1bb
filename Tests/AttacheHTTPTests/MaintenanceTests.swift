import AttacheTestSupport
import AttacheCore
import Foundation
import NIOCore
import Testing

@Suite("gc and verify", .timeLimit(.minutes(3)))
struct MaintenanceTests {
    /// Ages files by hand, so on the disk store only (the store contract suite covers S3's staging).
    @Test(.enabled(if: TestBlobs.onDisk, "ages files in the data folder by hand: disk store only (the S3 contract covers its staging)"))
    func gcRemovesOldUnreferencedBlobsAndStagingButKeepsLiveOnes() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            _ = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf()))
            let address = try #require(try await server.storedBlobs().first)
            let live = "\(address.tenantID)/\(address.sha256.prefix(2))/\(address.sha256.dropFirst(2).prefix(2))/\(address.sha256)"
            let blobs = server.folder.appendingPathComponent("blobs")
            let orphanSHA = String(repeating: "e", count: 64)
            let orphanFolder = blobs.appendingPathComponent("\(server.tenant.id)/ee/ee")
            try FileManager.default.createDirectory(at: orphanFolder, withIntermediateDirectories: true)
            let orphan = orphanFolder.appendingPathComponent(orphanSHA)
            let fresh = orphanFolder.appendingPathComponent(String(repeating: "f", count: 64))
            let staged = server.folder.appendingPathComponent("staging/crashed.part")
            for file in [orphan, fresh, staged] {
                try Data("left over".utf8).write(to: file)
            }
            let old = Date().addingTimeInterval(-7200)
            for file in [orphan, staged, blobs.appendingPathComponent(live)] {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.path)
            }
            let report = try await server.service.collectGarbage(grace: 3600)
            #expect(report.removedStagedContent == 1)
            #expect(report.removedOrphanBlobs == 1)
            #expect(!FileManager.default.fileExists(atPath: orphan.path))
            #expect(FileManager.default.fileExists(atPath: fresh.path), "younger than the grace period")
            #expect(FileManager.default.fileExists(atPath: blobs.appendingPathComponent(live).path), "still referenced")
            #expect(try await server.service.verifyBlobs().problems.isEmpty)
        }
    }

    /// Of two nodes on the same stores, the one holding the `gc` lease collects; the other takes over
    /// once the lease has run out.
    @Test func oneNodeOfManyRunsThePeriodicCollection() async throws {
        try await TestServer.with { server in
            let nodeA = server.service
            let nodeB = AttacheService(metadata: nodeA.metadata, blobs: nodeA.blobs, policy: nodeA.policy, logger: .init(label: "node-b"))
            #expect(nodeA.nodeID != nodeB.nodeID)
            let interval = Duration.seconds(60)
            let now = Date()
            var turns: [Bool] = []
            for (node, offset) in [(nodeA, 0.0), (nodeB, 30), (nodeA, 60), (nodeB, 120), (nodeB, 151), (nodeA, 152)] {
                let report = try await node.collectGarbageAsLeaseHolder(interval: interval, grace: 3600, now: now.addingTimeInterval(offset))
                turns.append(report != nil)
            }
            // A collects and renews; B waits while A's lease runs (1.5 intervals), then takes over.
            #expect(turns == [true, false, true, false, true, false])
        }
    }

    @Test func verifyReportsMissingAndCorruptContent() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            _ = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf(seed: 1)))
            _ = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "b.pdf", bytes: Samples.pdf(seed: 2)))
            // Damaged through the blob store itself, so on every store: one blob's content replaced, one removed.
            let addresses = try await server.storedBlobs().sorted { $0.sha256 < $1.sha256 }
            try #require(addresses.count == 2)
            try await server.blobs.delete(addresses[0])
            let writer = try await server.blobs.makeWriter()
            try await writer.write(ByteBuffer(string: "changed"))
            let changed = try await writer.finish()
            try await server.blobs.promote(changed, to: addresses[0])
            await server.blobs.discard(changed)
            try await server.blobs.delete(addresses[1])
            let report = try await server.service.verifyBlobs()
            #expect(report.checkedBlobs == 2)
            #expect(report.problems.count == 2)
            #expect(report.problems.contains { $0.contains("missing") })
            #expect(report.problems.contains { $0.contains("hashes to") })
        }
    }

    /// `verify` names who damaged content concerns, and `--quarantine` stops it being served until the
    /// content is whole again.
    @Test func verifyNamesWhatDamageConcernsAndQuarantinesIt() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let attached = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "lease.pdf", bytes: Samples.pdf(seed: 5)))
            let attachment = try #require(try attached.jsonObject()["uuid"] as? String)
            let file = try #require(try attached.jsonObject()["fileId"] as? Int)
            let address = try #require(try await server.storedBlobs().first)
            let original = try #require(try await server.blobs.open(address, range: nil))
            var saved = ByteBuffer()
            try await original.stream { chunk in var chunk = chunk; saved.writeBuffer(&chunk) }
            try await server.blobs.delete(address)

            let report = try await server.service.verifyBlobs(quarantine: true)
            #expect(report.problems == [
                "tenant acme, content \(address.sha256): content is missing; file \(file) 'lease.pdf' (attachment \(attachment) on record \(record)); quarantined"
            ])
            let refused = try await server.send(.GET, "/v1/attachments/\(attachment)/download", token: server.readToken)
            #expect(refused.status == 423)
            #expect(try refused.jsonObject()["detail"] as? String
                == "'lease.pdf' is quarantined: its stored content is damaged (content is missing). It can be deleted, or its content restored from a backup.")
            #expect(try await server.send(.GET, "/v1/attachments/\(attachment)", token: server.readToken).jsonObject()["scanStatus"] as? String == "damaged")
            let audit = try await server.send(.GET, "/v1/audit?action=file.quarantine", token: server.adminToken).jsonObject()
            #expect((audit["items"] as? [[String: Any]])?.first?["detail"] as? String == "damaged: content is missing")

            // Restored from a backup: the next verify serves it again.
            let writer = try await server.blobs.makeWriter()
            try await writer.write(saved)
            let staged = try await writer.finish()
            try await server.blobs.promote(staged, to: address)
            await server.blobs.discard(staged)
            let again = try await server.service.verifyBlobs(quarantine: true)
            #expect(again.problems.isEmpty && again.restoredFiles == 1)
            #expect(try await server.send(.GET, "/v1/attachments/\(attachment)/download", token: server.readToken).status == 200)
        }
    }
}
