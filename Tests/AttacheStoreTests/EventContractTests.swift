import AttacheCore
import Foundation
import Synchronization
import Testing

private let audit = AuditContext(actor: .token(7))

/// The contract of ``EventStore``, on every metadata store: a change's events are written with its
/// audit events; each tenant's feed is numbered 1, 2, 3, … with no gap, in the order the changes
/// committed, so a reader reading on from the last number it saw never misses one, even while
/// transactions race; filters, limits and the retention's trimming.
@Suite("Change feed contract", .timeLimit(.minutes(3)))
struct EventContractTests {
    static func sha(_ seed: Int) -> String { String(format: "%064x", 0xE000 + seed) }

    static func feed(_ store: any MetadataStore, _ tenantID: Int64, after: Int64 = 0, types: Set<ChangeEventType>? = nil, limit: Int = 1000) async throws -> ChangeFeedRead {
        try await store.changeEvents(tenantID: tenantID, after: after, types: types, limit: limit)
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func changesWriteTheirEventsNumberedPerTenant(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        #expect(try await Self.feed(store, acme.id) == ChangeFeedRead(events: [], newest: 0, oldest: 1))

        let record = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Keizersgracht 12", audit: audit)
        _ = try await store.createRecord(tenantID: globex.id, type: .person, externalIdentifier: nil, title: nil, audit: audit)
        let stored = try await MetadataStoreContractTests.store(
            [MetadataStoreContractTests.newFile(Self.sha(1), name: "lease.pdf")], in: store, tenantID: acme.id,
            link: AttachmentLink(recordID: record.id, description: nil)
        )
        let (file, attachment) = try #require(stored.first)
        let linked = try #require(attachment)
        _ = try await store.updateRecord(tenantID: acme.id, uuid: record.uuid, title: .some("Keizersgracht 14"), externalIdentifier: nil, legalHold: nil, audit: audit)
        // Events of no change (a download through a share, an upload refused at the quota) come through the audit trail too.
        let share = UUID()
        try await store.appendAuditEvents([
            AuditContext(actor: .share(share)).event(.fileDownload, tenantID: acme.id, recordUUID: record.uuid, fileID: file.id, fileName: "lease.pdf", attachmentUUID: linked.uuid, size: 10),
            audit.event(.fileDownload, tenantID: acme.id, fileID: file.id, size: 10),
            audit.event(.fileRefuse, tenantID: acme.id, recordUUID: record.uuid, size: 99, detail: "quota_exceeded: over the quota"),
        ])
        #expect(try await store.deleteAttachment(tenantID: acme.id, uuid: linked.uuid, audit: audit) != nil)

        let read = try await Self.feed(store, acme.id)
        #expect(read.events.map(\.type) == [
            .recordCreated, .fileStored, .attachmentCreated, .recordUpdated, .shareUsed, .fileRefused, .quotaReached, .attachmentDeleted, .fileDeleted,
        ], "\(read.events.map(\.type))")
        #expect(read.events.map(\.number) == Array(1...9) && read.newest == 9 && read.oldest == 1)
        #expect(read.events.allSatisfy { $0.tenantID == acme.id })
        let storedEvent = read.events[1]
        #expect(storedEvent.fileID == file.id && storedEvent.fileName == "lease.pdf" && storedEvent.size == 10)
        #expect(read.events[3].actor == "token:7")
        #expect(read.events[2].recordUUID == record.uuid && read.events[2].attachmentUUID == linked.uuid)
        #expect(read.events[4].actor == AuditActor.share(share).text && read.events[4].attachmentUUID == linked.uuid)
        #expect(read.events[6].detail == "quota_exceeded: over the quota" && read.events[6].recordUUID == record.uuid)
        // The other tenant's feed is its own, from 1.
        let theirs = try await Self.feed(store, globex.id)
        #expect(theirs.events.map(\.number) == [1] && theirs.events.map(\.type) == [.recordCreated] && theirs.newest == 1)

        // After, types and limit.
        #expect(try await Self.feed(store, acme.id, after: 7).events.map(\.number) == [8, 9])
        #expect(try await Self.feed(store, acme.id, after: 9).events.isEmpty)
        let files = try await Self.feed(store, acme.id, types: [.fileStored, .fileDeleted])
        #expect(files.events.map(\.number) == [2, 9] && files.newest == 9)
        #expect(try await Self.feed(store, acme.id, after: 2, limit: 3).events.map(\.number) == [3, 4, 5])

        // A record deleted with its attachments tells of each (and of their files, which went with them).
        let doomed = try await store.createRecord(tenantID: acme.id, type: .contact, externalIdentifier: nil, title: nil, audit: audit)
        let pair = try await MetadataStoreContractTests.store(
            [MetadataStoreContractTests.newFile(Self.sha(2), name: "a.pdf"), MetadataStoreContractTests.newFile(Self.sha(3), name: "b.pdf")],
            in: store, tenantID: acme.id, link: AttachmentLink(recordID: doomed.id, description: nil)
        )
        #expect(try await store.deleteRecord(tenantID: acme.id, uuid: doomed.uuid, audit: audit))
        let gone = try await Self.feed(store, acme.id, after: 14)
        #expect(gone.events.map(\.type) == [.recordDeleted, .attachmentDeleted, .attachmentDeleted, .fileDeleted, .fileDeleted], "\(gone.events.map(\.type))")
        #expect(gone.events.compactMap(\.attachmentUUID) == pair.compactMap { $0.1?.uuid } && gone.events[1].fileName == "a.pdf" && gone.events[1].size == 10)

        // Trimmed with the audit trail's retention: the feed begins later, and the numbers go on.
        #expect(try await store.deleteChangeEvents(before: Date().addingTimeInterval(60), limit: 4) == 4)
        #expect(try await store.deleteChangeEvents(before: Date().addingTimeInterval(60), limit: 100) == 16)
        let empty = try await Self.feed(store, acme.id)
        #expect(empty.events.isEmpty && empty.newest == 19 && empty.oldest == 20)
        _ = try await store.createRecord(tenantID: acme.id, type: .person, externalIdentifier: nil, title: nil, audit: audit)
        #expect(try await Self.feed(store, acme.id, after: 19).events.map(\.number) == [20])
    }

    /// Forty changes racing on one tenant while a reader reads on from the last number it saw: the
    /// reader gets every number once, in order, each read beginning right after the last — a number
    /// never becomes visible before a smaller one (what a sequence, given out before commit, allows).
    @Test(arguments: MetadataStoreKind.allCases)
    func aReaderNeverMissesAnEventWhileChangesRace(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let writers = 40
        let started = ContinuousClock.now
        let finished = FinishedCount()
        let (seen, newestSeen) = try await withThrowingTaskGroup(of: ([Int64], newest: Int64)?.self) { group in
            for index in 0..<writers {
                group.addTask {
                    _ = try await store.createRecord(tenantID: acme.id, type: .contact, externalIdentifier: "C-\(index)", title: nil, audit: audit)
                    finished.count.add(1, ordering: .releasing)
                    return nil
                }
            }
            // The reader reads until it has every number, or until one read after the last writer
            // finished brings nothing new: however long a loaded machine keeps the writers waiting
            // (the suite's time limit bounds it), only a gap, a repeat or a missing number fails.
            group.addTask {
                var after: Int64 = 0
                var newest: Int64 = 0
                var numbers: [Int64] = []
                while after < Int64(writers) {
                    let writersDone = finished.count.load(ordering: .acquiring) == writers
                    let read = try await Self.feed(store, acme.id, after: after, limit: 7)
                    newest = read.newest
                    numbers += read.events.map(\.number)
                    // Each read follows on from the last number seen, with no gap.
                    if let first = read.events.first, first.number != after + 1 { return (numbers + [-first.number], newest) }
                    after = read.events.count < 7 ? read.newest : read.events.last?.number ?? after
                    if writersDone && read.events.isEmpty { break }
                    if read.events.isEmpty { await Task.yield() }
                }
                return (numbers, newest)
            }
            return try await group.reduce(into: ([Int64](), Int64(0))) { result, read in
                if let read { result = (read.0, read.newest) }
            }
        }
        // When it fails, whether the writers stalled (the newest number stopped short) or the reader did.
        #expect(
            seen == Array(1...Int64(writers)),
            "\(seen); the feed's newest was \(newestSeen) after \(ContinuousClock.now - started)"
        )
    }
}

/// How many writers have finished, shared by the tasks of a test.
private final class FinishedCount: Sendable {
    let count = Atomic<Int>(0)
}
