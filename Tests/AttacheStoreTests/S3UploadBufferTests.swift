import AttacheCore
@testable import AttacheS3
import Foundation
import NIOCore
import Testing

/// The node-wide bound on S3 upload buffers, against a real S3-compatible server (moto): past 256 KiB
/// an upload needs one of the node's places, so with one place a second large upload waits until the
/// first is complete, and both store whole; small uploads never wait; a writer cancelled while it
/// waits takes no place, and an abandoned upload gives its place back.
@Suite("S3 upload buffers", .timeLimit(.minutes(3)))
struct S3UploadBufferTests {
    static func store(places: Int) async throws -> S3BlobStore {
        guard let endpoint = BlobStoreKind.s3Endpoint else { throw TestSetupError("ATTACHE_TEST_S3_ENDPOINT is not set") }
        let store = S3BlobStore(configuration: S3Configuration(
            endpoint: endpoint, bucket: "buffers-" + UUID().uuidString.lowercased().prefix(16), region: "us-east-1", accessKeyID: "test",
            secretAccessKey: "test", uploadBuffers: places
        ))
        try await store.ensureBucket()
        return store
    }

    static func chunk(_ size: Int, _ byte: UInt8) -> ByteBuffer { ByteBuffer(repeating: byte, count: size) }

    /// Waits (at most 10 s) until `count` writers wait for a place.
    static func waitForWaiters(_ count: Int, in store: S3BlobStore) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while store.uploadBuffers.waiting != count {
            guard ContinuousClock.now < deadline else { throw TestSetupError("\(count) writer(s) never waited") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    @Test(.enabled(if: BlobStoreKind.s3Endpoint != nil, "needs ATTACHE_TEST_S3_ENDPOINT (scripts/test.sh starts moto)"))
    func largeUploadsWaitForAPlaceAndSmallOnesNever() async throws {
        let store = try await Self.store(places: 1)
        let first = try await store.makeWriter(continuing: nil)
        try await first.write(Self.chunk(300 * 1024, 1))
        #expect(store.uploadBuffers.inUse == 1)

        // A second large upload waits for the place; a small one goes through meanwhile.
        let second = try await store.makeWriter(continuing: nil)
        let waiting = Task { try await second.write(Self.chunk(300 * 1024, 2)) }
        let small = try await store.makeWriter(continuing: nil)
        try await small.write(Self.chunk(200 * 1024, 3))
        let smallStaged = try await small.finish()
        #expect(smallStaged.size == 200 * 1024)
        try await Self.waitForWaiters(1, in: store)
        #expect(store.uploadBuffers.inUse == 1, "the second upload waits; the small one never did")

        // The first completes (a multipart upload of two parts): the second takes the place and completes.
        try await first.write(Self.chunk(6 * 1024 * 1024, 1))
        let firstStaged = try await first.finish()
        try await waiting.value
        let secondStaged = try await second.finish()
        #expect(firstStaged.size == 300 * 1024 + 6 * 1024 * 1024 && secondStaged.size == 300 * 1024)
        #expect(store.uploadBuffers.inUse == 0)
        for (staged, size) in [(firstStaged, firstStaged.size), (secondStaged, secondStaged.size)] {
            var read: Int64 = 0
            try await store.openStaged(staged).stream { read += Int64($0.readableBytes) }
            #expect(read == size)
        }
    }

    @Test(.enabled(if: BlobStoreKind.s3Endpoint != nil, "needs ATTACHE_TEST_S3_ENDPOINT (scripts/test.sh starts moto)"))
    func aCancelledWaiterTakesNoPlaceAndAnAbandonedUploadGivesItsBack() async throws {
        let store = try await Self.store(places: 1)
        let holder = try await store.makeWriter(continuing: nil)
        try await holder.write(Self.chunk(300 * 1024, 1))
        let cancelled = try await store.makeWriter(continuing: nil)
        let waiting = Task { try await cancelled.write(Self.chunk(300 * 1024, 2)) }
        try await Self.waitForWaiters(1, in: store)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        await cancelled.abort()
        #expect(store.uploadBuffers.inUse == 1 && store.uploadBuffers.waiting == 0, "only the holder's place is taken")
        await holder.abort()
        #expect(store.uploadBuffers.inUse == 0)
        // The place is free again for the next one.
        let next = try await store.makeWriter(continuing: nil)
        try await next.write(Self.chunk(300 * 1024, 3))
        #expect(store.uploadBuffers.inUse == 1)
        _ = try await next.finish()
        #expect(store.uploadBuffers.inUse == 0)
    }
}
