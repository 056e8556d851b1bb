import AttacheTestSupport
import Foundation
import Testing

/// The HTTP suite runs on SQLite + disk, on PostgreSQL + S3 when scripts/test.sh names them, or on the
/// in-memory metadata fake (`ATTACHE_TEST_HTTP_METADATA=memory`). A run
/// asked for one set-up (`ATTACHE_TEST_EXPECT_BACKENDS`, e.g. `postgres+s3`) fails on any other, so
/// a missing variable cannot turn the PostgreSQL + S3 run into a second SQLite one unnoticed.
@Suite("HTTP suite back ends", .timeLimit(.minutes(3)))
struct BackendTests {
    static var inUse: String {
        (TestMetadata.inMemory ? "memory" : TestMetadata.onPostgres ? "postgres" : "sqlite") + "+" + (TestBlobs.onDisk ? "disk" : "s3")
    }

    @Test func theSuiteRunsOnTheBackEndsItWasAskedFor() {
        print("HTTP suite back ends: \(Self.inUse)")
        let expected = ProcessInfo.processInfo.environment["ATTACHE_TEST_EXPECT_BACKENDS"].flatMap { $0.isEmpty ? nil : $0 }
        if let expected {
            #expect(Self.inUse == expected)
        }
    }
}
