public import AttacheCore
import AsyncHTTPClient
public import Foundation
public import NIOCore
import NIOHTTP1

/// A ``BlobStore`` in an S3-compatible bucket, so that stateless nodes can share content.
///
/// Object keys:
/// ```
/// blobs/<tenant id>/<sha[0..<2]>/<sha[2..<4]>/<sha256>   content, named by its hash
/// staging/<ms since 1970>-<uuid>                          uploads being received
/// ```
/// An upload is staged under `staging/` (one `PUT`, or a multipart upload for files over 5 MiB) and
/// promoted with a server-side copy to its content address, so a reader sees the whole object or none;
/// the staged object stays until the upload is committed or abandoned, so a promotion can be repeated.
/// Downloads open their `GET` before the response headers go out; deleted content stays in the bucket
/// for `gc`'s grace period, so a download in flight always finishes.
public struct S3BlobStore: BlobStore {
    let client: S3Client
    /// The node's places for uploads that buffer more than a little (shared by every writer of this store).
    let uploadBuffers: S3UploadBuffers

    public init(configuration: S3Configuration) {
        self.client = S3Client(configuration: configuration)
        self.uploadBuffers = S3UploadBuffers(limit: configuration.uploadBuffers)
    }

    /// Creates the bucket when it does not exist (convenient for MinIO or moto; on AWS create it yourself).
    public func ensureBucket() async throws {
        let head = try await client.send(.HEAD, allowing: [404])
        if head.status == .notFound {
            try await client.send(.PUT)
        }
    }

    /// Objects cannot be appended to: a continuation is new content (a resumable upload's chunk is an
    /// object of its own, joined when the upload completes).
    public func makeWriter(continuing staged: StagedBlob?) async throws -> any BlobWriter {
        S3BlobWriter(client: client, key: Self.newStagingKey(), buffers: uploadBuffers)
    }

    public func promote(_ staged: StagedBlob, to address: BlobAddress) async throws {
        let destination = try key(of: address)
        let head = try await client.send(.HEAD, key: destination, allowing: [404])
        guard head.status == .notFound else { return }
        do {
            try await copy(staged.stagingKey, to: destination)
        } catch {
            // Another upload of the same content may have copied it meanwhile (some servers briefly
            // report the key missing while two copies land on it): present content is success.
            guard try await client.send(.HEAD, key: destination, allowing: [404]).status != .notFound else { throw error }
        }
    }

    public func alias(_ staged: StagedBlob) async throws -> StagedBlob {
        let key = Self.newStagingKey()
        try await copy(staged.stagingKey, to: key)
        return StagedBlob(stagingKey: key, size: staged.size)
    }

    /// A server-side copy (CopyObject): the bytes never pass through the node.
    private func copy(_ source: String, to destination: String) async throws {
        let copySource = "/" + client.configuration.bucket + "/" + source
        let response = try await client.text(.PUT, key: destination, headers: [("x-amz-copy-source", copySource)])
        if response.contains("<Error>") {
            throw S3Error(status: 200, message: XMLText.values(of: "Message", in: response).first ?? response).unavailable
        }
    }

    /// `staging/<ms since 1970>-<uuid>`.
    private static func newStagingKey() -> String {
        "staging/\(Int64(Date().timeIntervalSince1970 * 1000))-" + UUID().lowercasedText
    }

    public func discard(_ staged: StagedBlob) async {
        let client = client
        // allowed: best-effort cleanup; gc removes a staged object left behind
        await Task { _ = try? await client.send(.DELETE, key: staged.stagingKey, allowing: [404]) }.value  // allowed: best-effort; gc sweeps staging
    }

    public func open(_ address: BlobAddress, range: Range<Int64>?) async throws -> (any BlobReader)? {
        var headers: [(String, String)] = []
        if let range, !range.isEmpty {
            headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)"))
        }
        let response = try await client.stream(.GET, key: try key(of: address), headers: headers, allowing: [404])
        guard response.status != .notFound else {
            _ = try await response.body.collect(upTo: 64 * 1024)
            return nil
        }
        return S3BlobReader(response: response, emptyRange: range?.isEmpty ?? false)
    }

    public func delete(_ address: BlobAddress) async throws {
        try await client.send(.DELETE, key: try key(of: address), allowing: [404])
    }

    public func removeStagedContent(olderThan cutoff: Date, keeping: () async throws -> Set<String>) async throws -> Int {
        var candidates: [(key: String, uploadID: String?)] = []
        try await forEachStaged { key, uploadID, since in
            if since < cutoff { candidates.append((key, uploadID)) }
        }
        guard !candidates.isEmpty else { return 0 }
        let kept = try await keeping()
        var removed = 0
        for candidate in candidates where !kept.contains(candidate.key) {
            try await client.send(.DELETE, key: candidate.key, query: candidate.uploadID.map { [("uploadId", $0)] } ?? [], allowing: [404])
            removed += 1
        }
        return removed
    }

    public func openStaged(_ staged: StagedBlob) async throws -> any BlobReader {
        let response = try await client.stream(.GET, key: staged.stagingKey, allowing: [404])
        guard response.status != .notFound else {
            _ = try await response.body.collect(upTo: 64 * 1024)
            throw AttacheError(.storageUnavailable, "Staged content is missing.", underlying: staged.stagingKey)
        }
        return S3BlobReader(response: response, emptyRange: false)
    }

    public func countStagedContent() async throws -> Int {
        var count = 0
        try await forEachStaged { _, _, _ in count += 1 }
        return count
    }

    /// Every staged item: unfinished multipart uploads (with their upload id) and staged objects, with
    /// when each was made.
    private func forEachStaged(_ visit: (_ key: String, _ uploadID: String?, _ since: Date) async throws -> Void) async throws {
        try await listMultipartUploads(prefix: "staging/") { key, uploadID, initiated in
            try await visit(key, uploadID, Self.stagingTime(of: key) ?? initiated)
        }
        try await list(prefix: "staging/") { key, modified in
            try await visit(key, nil, Self.stagingTime(of: key) ?? modified)
        }
    }

    public func forEachBlob(_ visit: (BlobAddress, Date) async throws -> Void) async throws {
        try await list(prefix: "blobs/") { key, modified in
            let parts = key.split(separator: "/")
            guard parts.count == 5, let tenantID = Int64(parts[1]) else { return }
            let address = BlobAddress(tenantID: tenantID, sha256: String(parts[4]))
            guard address.isWellFormed else { return }
            try await visit(address, modified)
        }
    }

    /// A presigned `GET` (SigV4 in the query) with `response-content-type` and
    /// `response-content-disposition`, so the bucket's answer names and types the file as Attache would.
    public func directDownloadURL(_ address: BlobAddress, contentType: String, contentDisposition: String, lifetime: TimeInterval) throws -> String? {
        client.presignedURL(
            key: try key(of: address),
            query: [("response-content-disposition", contentDisposition), ("response-content-type", contentType)],
            lifetime: max(1, min(Int(lifetime), 7 * 86_400))
        )
    }

    public func checkHealth() async throws {
        try await client.send(.HEAD)
    }

    /// The object key of the content at `address`.
    func key(of address: BlobAddress) throws -> String {
        guard address.isWellFormed else {
            throw AttacheError(.internal, "Malformed blob address.", underlying: address.description)
        }
        let sha = address.sha256
        return "blobs/\(address.tenantID)/\(sha.prefix(2))/\(sha.dropFirst(2).prefix(2))/\(sha)"
    }

    /// Lists every object under `prefix` (ListObjectsV2, page by page).
    private func list(prefix: String, _ visit: (String, Date) async throws -> Void) async throws {
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let page = try await client.text(.GET, query: query)
            for object in XMLText.blocks(of: "Contents", in: page) {
                guard let key = XMLText.values(of: "Key", in: object).first,
                    let modified = XMLText.values(of: "LastModified", in: object).first.flatMap(Self.date)
                else { continue }
                try await visit(key, modified)
            }
            token = XMLText.values(of: "IsTruncated", in: page).first == "true"
                ? XMLText.values(of: "NextContinuationToken", in: page).first : nil
        } while token != nil
    }

    /// Lists the unfinished multipart uploads under `prefix` (ListMultipartUploads, page by page).
    private func listMultipartUploads(prefix: String, _ visit: (String, String, Date) async throws -> Void) async throws {
        var marker: (key: String, uploadID: String)?
        repeat {
            var query = [("uploads", ""), ("prefix", prefix)]
            if let marker { query += [("key-marker", marker.key), ("upload-id-marker", marker.uploadID)] }
            let page = try await client.text(.GET, query: query)
            for upload in XMLText.blocks(of: "Upload", in: page) {
                guard let key = XMLText.values(of: "Key", in: upload).first,
                    let uploadID = XMLText.values(of: "UploadId", in: upload).first,
                    let initiated = XMLText.values(of: "Initiated", in: upload).first.flatMap(Self.date)
                else { continue }
                try await visit(key, uploadID, initiated)
            }
            let truncated = XMLText.values(of: "IsTruncated", in: page).first == "true"
            marker = truncated
                ? XMLText.values(of: "NextKeyMarker", in: page).first.flatMap { key in
                    XMLText.values(of: "NextUploadIdMarker", in: page).first.map { (key, $0) }
                } : nil
        } while marker != nil
    }

    /// When a staging key was made, from its name: the node's clock, not the store's (some S3-compatible
    /// servers report fixed or skewed times for multipart uploads).
    static func stagingTime(of key: String) -> Date? {
        guard let name = key.split(separator: "/").last, let dash = name.firstIndex(of: "-"),
            let milliseconds = Int64(name[..<dash])
        else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }

    private static func date(_ text: String) -> Date? {
        // allowed: a listing date in neither form is no date (the entry is skipped)
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))  // allowed: two accepted forms, else no date
    }
}
