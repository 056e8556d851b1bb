import ArgumentParser

/// The `--data` option shared by every command.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data folder: the SQLite database, blobs/ and staging/ unless the options below move them (env ATTACHE_DATA).")
    var data: String = Environment.string("ATTACHE_DATA", default: "./data")

    @Option(name: .long, help: "PostgreSQL URL (postgres://user:password@host:5432/db?sslmode=disable) for metadata instead of the SQLite file in --data (env ATTACHE_DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .long, help: "S3-compatible endpoint for blobs instead of the data folder, e.g. https://s3.eu-west-1.amazonaws.com (env ATTACHE_S3_ENDPOINT; credentials from ATTACHE_S3_ACCESS_KEY_ID and ATTACHE_S3_SECRET_ACCESS_KEY).")
    var s3Endpoint: String?

    @Option(name: .long, help: "S3 bucket; required with --s3-endpoint (env ATTACHE_S3_BUCKET).")
    var s3Bucket: String?

    @Option(name: .long, help: "S3 region; default: us-east-1 (env ATTACHE_S3_REGION).")
    var s3Region: String?

    @Option(name: .long, help: "With S3 blobs: how many uploads may each hold up to a 5 MiB part in memory at once on this node; more wait (env ATTACHE_S3_UPLOAD_BUFFERS).")
    var s3UploadBuffers: Int = Environment.integer("ATTACHE_S3_UPLOAD_BUFFERS", default: 16)

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical (env ATTACHE_LOG_LEVEL).")
    var logLevel: String = Environment.string("ATTACHE_LOG_LEVEL", default: "info")
}
