import AttacheCore
import AttacheDiskStore
import AttacheS3
import Foundation

/// The blob store behind a ``TestServer``: the server's data folder, or, when
/// `ATTACHE_TEST_HTTP_S3_ENDPOINT` names an S3-compatible server (scripts/test.sh runs the HTTP suite
/// on PostgreSQL + S3 that way), a bucket of its own there.
package enum TestBlobs {
    package static var s3Endpoint: String? {
        ProcessInfo.processInfo.environment["ATTACHE_TEST_HTTP_S3_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether blobs are files in the data folder (tests that age or damage files by hand need that).
    package static var onDisk: Bool { s3Endpoint == nil }

    package static func make(folder: URL) async throws -> any BlobStore {
        guard let endpoint = s3Endpoint else {
            return try await DiskBlobStore(root: folder.path)
        }
        let bucket = "http-" + UUID().uuidString.lowercased().prefix(20)
        let store = S3BlobStore(configuration: S3Configuration(
            endpoint: endpoint, bucket: String(bucket), region: "us-east-1", accessKeyID: "test", secretAccessKey: "test"
        ))
        try await store.ensureBucket()
        return store
    }
}
