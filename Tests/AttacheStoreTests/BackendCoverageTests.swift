import Testing

/// The contract suites run on PostgreSQL and S3 only when a server is named in the environment
/// (scripts/test.sh starts both). These tests make that visible: without the variable they show as
/// skipped with the reason, instead of the PostgreSQL and S3 cases vanishing silently.
@Suite("Storage back ends covered")
struct BackendCoverageTests {
    @Test(.enabled(if: MetadataStoreKind.postgresURL != nil, "ATTACHE_TEST_POSTGRES_URL is not set: the metadata contract ran on SQLite only"))
    func metadataContractRunsOnPostgreSQL() {
        #expect(MetadataStoreKind.allCases == [.sqlite, .postgres])
    }

    @Test(.enabled(if: BlobStoreKind.s3Endpoint != nil, "ATTACHE_TEST_S3_ENDPOINT is not set: the blob contract ran on disk only"))
    func blobContractRunsOnS3() {
        #expect(BlobStoreKind.allCases == [.disk, .s3])
    }
}
