import ArgumentParser
import AttacheCore
import AttacheDiskStore
import AttacheS3
import Foundation

/// `attache blobs migrate`: copies every referenced blob to another blob store.
struct BlobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blobs",
        abstract: "Move content between blob stores.",
        subcommands: [Migrate.self]
    )

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every stored blob to another store (a data folder or an S3 bucket), checking each copy's SHA-256; resumable, safe while servers run."
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Destination: a data folder (its blobs/ and staging/).") var toData: String?
        @Option(help: "Destination: an S3-compatible endpoint (credentials from ATTACHE_S3_ACCESS_KEY_ID and ATTACHE_S3_SECRET_ACCESS_KEY).")
        var toS3Endpoint: String?
        @Option(help: "Destination S3 bucket (created if missing).") var toS3Bucket: String?
        @Option(help: "Destination S3 region.") var toS3Region: String = "us-east-1"
        @Option(help: "Print a progress line after every this many blobs.") var progressEvery: Int = 500

        func validate() throws {
            guard (toData == nil) != (toS3Endpoint == nil) else {
                throw ValidationError("Give one destination: --to-data DIR, or --to-s3-endpoint URL with --to-s3-bucket NAME.")
            }
            if toS3Endpoint != nil, toS3Bucket == nil {
                throw ValidationError("--to-s3-endpoint needs --to-s3-bucket.")
            }
            guard progressEvery > 0 else { throw ValidationError("--progress-every must be at least 1.") }
        }

        func run() async throws {
            let destination = try await makeDestination()
            let every = progressEvery
            let report = try await DataFolder(options, label: "attache.cli").withService { service in
                var seen = 0
                return try await service.migrateBlobs(to: destination) { _, _ in
                    seen += 1
                    if seen % every == 0 {
                        print("\(seen) blob(s) done")
                        fflush(nil)
                    }
                }
            }
            print("copied and verified \(report.copied) blob(s) (\(report.bytes) bytes); \(report.present) already at the destination")
        }

        private func makeDestination() async throws -> any BlobStore {
            if let toData {
                return try await DiskBlobStore(root: toData)
            }
            let store = S3BlobStore(configuration: S3Configuration(
                endpoint: toS3Endpoint ?? "",
                bucket: toS3Bucket ?? "",
                region: toS3Region,
                accessKeyID: Environment.string("ATTACHE_S3_ACCESS_KEY_ID") ?? Environment.string("AWS_ACCESS_KEY_ID") ?? "",
                secretAccessKey: Environment.string("ATTACHE_S3_SECRET_ACCESS_KEY") ?? Environment.string("AWS_SECRET_ACCESS_KEY") ?? ""
            ))
            try await store.ensureBucket()
            return store
        }
    }
}
