import Foundation
import Testing

/// The contract suites run on PostgreSQL and S3 only when a server is named in the environment
/// (scripts/test.sh starts both). These tests make that visible: without the variable they show as
/// skipped with the reason, instead of the PostgreSQL and S3 cases vanishing silently; and a run that
/// asks for them (`ATTACHE_TEST_EXPECT_STORES` naming `postgres` or `s3`, as scripts/test.sh does)
/// fails without them.
@Suite("Storage back ends covered", .timeLimit(.minutes(3)))
struct BackendCoverageTests {
    static var expected: String { ProcessInfo.processInfo.environment["ATTACHE_TEST_EXPECT_STORES"] ?? "" }

    @Test func aRunAskedForPostgreSQLAndS3GetsThem() {
        if Self.expected.contains("postgres") { #expect(MetadataStoreKind.postgresURL != nil, "asked for postgres, ATTACHE_TEST_POSTGRES_URL is not set") }
        if Self.expected.contains("s3") { #expect(BlobStoreKind.s3Endpoint != nil, "asked for s3, ATTACHE_TEST_S3_ENDPOINT is not set") }
    }

    @Test(.enabled(if: MetadataStoreKind.postgresURL != nil, "ATTACHE_TEST_POSTGRES_URL is not set: the metadata contract ran on SQLite only"))
    func metadataContractRunsOnPostgreSQL() {
        #expect(MetadataStoreKind.sqlCases == [.sqlite, .postgres])
    }

    @Test(.enabled(if: BlobStoreKind.s3Endpoint != nil, "ATTACHE_TEST_S3_ENDPOINT is not set: the blob contract ran on disk only"))
    func blobContractRunsOnS3() {
        #expect(BlobStoreKind.allCases == [.disk, .s3])
    }
}
