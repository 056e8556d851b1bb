import Foundation

/// Where an ``S3BlobStore`` keeps its objects: an S3-compatible endpoint, addressed path-style
/// (`<endpoint>/<bucket>/<key>`, which AWS, MinIO, Ceph and moto all accept).
public struct S3Configuration: Sendable {
    /// `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000`, … (no trailing slash).
    public var endpoint: String
    public var bucket: String
    public var region: String
    public var accessKeyID: String
    public var secretAccessKey: String
    /// How many uploads may each buffer up to a part (5 MiB) at once on this node (``S3UploadBuffers``).
    public var uploadBuffers: Int

    public init(endpoint: String, bucket: String, region: String, accessKeyID: String, secretAccessKey: String, uploadBuffers: Int = 16) {
        self.uploadBuffers = max(1, uploadBuffers)
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
    }
}
