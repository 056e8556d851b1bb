import AttacheCore
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Stages one upload under `staging/<uuid>` in the bucket: small files with one `PUT`, larger ones as a
/// multipart upload of ``partSize`` parts, so at most one part is held in memory. Past ``smallLimit``
/// the writer first takes a place among the node's ``S3UploadBuffers`` (waiting while none is free),
/// and keeps it until the object is complete or abandoned: memory is bounded per node, not only per upload.
actor S3BlobWriter: BlobWriter {
    /// S3's smallest allowed part (except the last).
    static let partSize = 5 * 1024 * 1024
    /// What an upload buffers without a place among the node's upload buffers.
    static let smallLimit = 256 * 1024

    private let client: S3Client
    private let buffers: S3UploadBuffers
    private var holdsPlace = false
    private let key: String
    nonisolated var stagingKey: String { key }
    private var pending = ByteBuffer()
    private var uploadID: String?
    private var parts: [(number: Int, etag: String)] = []
    private var size: Int64 = 0
    private var finished = false

    init(client: S3Client, key: String, buffers: S3UploadBuffers) {
        self.client = client
        self.key = key
        self.buffers = buffers
    }

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        if !holdsPlace, pending.readableBytes + buffer.readableBytes > Self.smallLimit {
            try await buffers.acquire()
            holdsPlace = true
            // One allocation for the part and the chunk that completes it, not a doubling past it.
            pending.reserveCapacity(Self.partSize + buffer.readableBytes)
        }
        size += Int64(buffer.readableBytes)
        pending.writeBuffer(&buffer)
        while pending.readableBytes >= Self.partSize, let part = pending.readSlice(length: Self.partSize) {
            try await upload(part: part)
            pending.discardReadBytes()
        }
    }

    func finish() async throws -> StagedBlob {
        defer { givePlaceBack() }
        if let uploadID {
            if pending.readableBytes > 0 {
                try await upload(part: pending)
            }
            let list = parts.map { "<Part><PartNumber>\($0.number)</PartNumber><ETag>\($0.etag)</ETag></Part>" }.joined()
            let response = try await client.text(
                .POST, key: key, query: [("uploadId", uploadID)],
                body: ByteBuffer(string: "<CompleteMultipartUpload>\(list)</CompleteMultipartUpload>")
            )
            if response.contains("<Error>") {
                throw S3Error(status: 200, message: XMLText.values(of: "Message", in: response).first ?? response).unavailable
            }
        } else {
            try await client.send(
                .PUT, key: key, headers: [("Content-Length", String(pending.readableBytes))],
                body: .bytes(pending)
            )
        }
        pending = ByteBuffer()
        finished = true
        return StagedBlob(stagingKey: key, size: size)
    }

    /// Aborts the multipart upload or removes the staged object. Runs in its own task so that it
    /// completes when the request's task was cancelled.
    func abort() async {
        givePlaceBack()
        pending = ByteBuffer()
        let client = client
        let key = key
        let uploadID = finished ? nil : uploadID
        await Task {
            if let uploadID {
                // allowed: best-effort cleanup; what fails here is left for gc, which aborts old uploads
                _ = try? await client.send(.DELETE, key: key, query: [("uploadId", uploadID)], allowing: [404])  // allowed: best-effort abort; gc aborts what is left
            }
            // allowed: best-effort cleanup; gc removes a staged object left behind
            _ = try? await client.send(.DELETE, key: key, allowing: [404])  // allowed: best-effort cleanup; gc sweeps staging
        }.value
    }

    private func upload(part: ByteBuffer) async throws {
        let uploadID = try await startIfNeeded()
        let number = parts.count + 1
        let response = try await client.send(
            .PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)],
            headers: [("Content-Length", String(part.readableBytes))], body: .bytes(part)
        )
        guard let etag = response.headers.first(name: "ETag") else {
            throw S3Error(status: response.status.code, message: "part \(number) has no ETag").unavailable
        }
        parts.append((number, etag))
    }

    private func givePlaceBack() {
        guard holdsPlace else { return }
        holdsPlace = false
        buffers.release()
    }

    private func startIfNeeded() async throws -> String {
        if let uploadID { return uploadID }
        let response = try await client.text(.POST, key: key, query: [("uploads", "")])
        guard let id = XMLText.values(of: "UploadId", in: response).first else {
            throw S3Error(status: 200, message: "no UploadId in \(response)").unavailable
        }
        uploadID = id
        return id
    }
}
