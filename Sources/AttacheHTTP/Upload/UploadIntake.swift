import AttacheCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Tracing

/// The one way every face receives upload bodies: multipart, raw, or a JSON member in base64, as the
/// face's ``UploadForm`` allows. Each file streams through an ``UploadSession`` as it arrives (memory
/// stays flat whatever the file size) into one ``UploadBatch``, which the face's `body` stores.
///
/// Whatever happens — a malformed body, a refused file, a client that goes away, an error in `body`
/// before it stored the batch — the batch is discarded, so nothing staged outlives the request.
package struct UploadIntake: Sendable {
    package let service: AttacheService
    /// Largest request body accepted, checked against `Content-Length` before the body is read and
    /// against the bytes actually received.
    package let maximumRequestSize: Int64
    /// A body must deliver ``minimumProgress`` bytes (or end) within this time, or it is cut off.
    package let idleTimeout: Duration
    /// The progress a body must make per ``idleTimeout``: a client trickling a byte a second is cut off.
    package static let minimumProgress = 1024
    package init(service: AttacheService, maximumRequestSize: Int64, idleTimeout: Duration) {
        self.service = service
        self.maximumRequestSize = maximumRequestSize
        self.idleTimeout = idleTimeout
    }

    /// Largest text (non-file) field of a form.
    package static let maximumFieldSize = 64 * 1024

    /// Reads the body as `form` says, then runs `body` with what arrived. An upload refused for its
    /// content (malware, quota, size, type) is audited, naming `record` when the upload is for one.
    /// - Throws: `form.missingFile` when no file arrived; the face's errors otherwise.
    package func receive<Result: Sendable>(
        _ request: Request,
        context: AuthenticatedRequestContext,
        for record: Record? = nil,
        form: UploadForm,
        _ body: (ReceivedUpload) async throws -> Result
    ) async throws -> Result {
        let principal = try context.principal(allowedTo: .write)
        let declared = request.headers[.contentLength].flatMap { Int64($0) }
        do {
            try checkExpectation(of: request)
            try checkDeclaredLength(of: request)
            if let declared {
                try await service.checkQuota(principal, incomingBytes: declared)
            }
            return try await receiveBody(request, context: context, principal: principal, form: form, body)
        } catch {
            await service.recordRefusedUpload(principal, error: error, record: record, size: declared)
            throw error
        }
    }

    private func receiveBody<Result: Sendable>(
        _ request: Request,
        context: AuthenticatedRequestContext,
        principal: Principal,
        form: UploadForm,
        _ body: (ReceivedUpload) async throws -> Result
    ) async throws -> Result {
        let batch = service.makeUploadBatch()
        do {
            let fields = try await service.receivingUpload { _ in
                try await read(request, context: context, principal: principal, form: form, into: batch)
            }
            guard await !batch.isEmpty else { throw form.missingFile }
            let result = try await body(ReceivedUpload(batch: batch, fields: fields, caseInsensitiveNames: form.caseInsensitiveNames))
            await batch.discard()
            return result
        } catch {
            await batch.discard()
            throw error
        }
    }

    /// Refuses a request whose declared length is over the limit, before the body is read.
    package func checkDeclaredLength(of request: Request) throws(AttacheError) {
        guard let header = request.headers[.contentLength] else { return }
        guard let declared = Int64(header), declared >= 0 else {
            throw AttacheError(.invalidInput, "Content-Length must be a whole number of bytes.")
        }
        if declared > maximumRequestSize {
            throw service.policy.tooLarge("The request body", size: declared)
        }
    }

    /// The multipart boundary of a `multipart/form-data` request, or `nil` for another media type.
    /// - Throws: `malformedUpload` for two boundaries, which parsers in front of Attache might read
    ///   differently from it.
    package static func multipartBoundary(of request: Request) throws(AttacheError) -> String? {
        guard let contentType = request.headers[.contentType] else { return nil }
        let parsed = HeaderParameters(contentType)
        guard parsed.value == "multipart/form-data" else { return nil }
        guard !parsed.repeated.contains("boundary") else {
            throw AttacheError(.malformedUpload, "A multipart/form-data Content-Type may name one boundary only.")
        }
        return parsed["boundary"]
    }

    private func read(
        _ request: Request, context: AuthenticatedRequestContext, principal: Principal, form: UploadForm, into batch: UploadBatch
    ) async throws -> [String: String] {
        if let boundary = try Self.multipartBoundary(of: request) {
            return try await readMultipart(request, context: context, principal: principal, boundary: boundary, form: form, into: batch)
        }
        let mediaType = HeaderParameters(request.headers[.contentType] ?? "").value
        if mediaType.hasPrefix("multipart/") {
            throw AttacheError(.malformedUpload, "A multipart body needs multipart/form-data with a boundary parameter.")
        }
        if let member = form.jsonBase64Member, mediaType == "application/json" {
            var reader = JSONBase64FileReader(member: member, caseInsensitive: form.caseInsensitiveNames)
            var session = try await service.beginUpload(principal, fileName: member, expectedDigest: nil, policy: form.policy)
            let upload = try await stream(request, context: context, into: &session) { chunk throws(AttacheError) in
                try reader.feed(chunk)
            } end: { () throws(AttacheError) in
                let rest = try reader.finish()
                guard reader.sawFile else { throw form.missingFile }
                return rest
            }
            await batch.append(.init(fieldName: member, upload: upload))
            return [:]
        }
        guard form.acceptsRawBody else { throw form.missingFile }
        let digest = try request.headers[.contentDigest].flatMap { header throws(AttacheError) in
            try ContentDigest.fromContentDigestField(header)
        }
        var session = try await service.beginUpload(principal, fileName: Self.rawFileName(of: request), expectedDigest: digest, policy: form.policy)
        let upload = try await stream(request, context: context, into: &session) { $0 } end: { nil }
        await batch.append(.init(fieldName: "", upload: upload))
        if let declared = request.headers[.contentLength].flatMap({ Int64($0) }), declared != upload.file.size {
            throw AttacheError(.malformedUpload, "The body ended after \(upload.file.size) of \(declared) bytes.")
        }
        // An empty raw body is no file (the batch, with its staged copy, is discarded by `receive`).
        guard upload.file.size > 0 else { throw form.missingFile }
        return [:]
    }

    /// Streams a whole non-multipart body through `decode` into one session.
    private func stream(
        _ request: Request,
        context: AuthenticatedRequestContext,
        into session: inout UploadSession,
        decode: (ByteBuffer) throws(AttacheError) -> ByteBuffer,
        end: () throws(AttacheError) -> ByteBuffer?
    ) async throws -> CompletedUpload {
        do {
            try await forEachChunk(of: request, context: context) { chunk in
                try await session.write(try decode(chunk))
            }
            if let rest = try end() {
                try await session.write(rest)
            }
            return try await session.finish()
        } catch {
            await session.abort()
            throw error
        }
    }

    private func readMultipart(
        _ request: Request, context: AuthenticatedRequestContext, principal: Principal, boundary: String, form: UploadForm, into batch: UploadBatch
    ) async throws -> [String: String] {
        var reader = try MultipartStreamReader(boundary: boundary)
        var state = FormState()
        do {
            try await forEachChunk(of: request, context: context) { chunk in
                for event in try reader.feed(chunk) {
                    try await handle(event, state: &state, principal: principal, form: form, batch: batch)
                }
            }
            try reader.finish()
            // A digest checks the file part after it: one with no file after it could check nothing.
            if state.pendingDigest != nil {
                throw AttacheError(
                    .invalidInput, "The sha256 field must come before the file part it checks; no file followed it.", field: "sha256"
                )
            }
            return state.fields
        } catch {
            await state.session?.abort()
            throw error
        }
    }

    /// Lets the client send the body (`100 Continue`), then hands each chunk to `body`, refusing a body
    /// over `limit` (default: the request limit) or one that makes too little progress. Resumable
    /// uploads read their chunks this way too.
    package func forEachChunk(
        of request: Request, context: AuthenticatedRequestContext, limit: Int64? = nil, _ body: (ByteBuffer) async throws -> Void
    ) async throws {
        context.base.acceptBody(of: request)
        let limit = limit ?? maximumRequestSize
        var received: Int64 = 0
        var progress = ProgressClock(timeout: idleTimeout, minimum: Self.minimumProgress)
        for try await chunk in request.body {
            received += Int64(chunk.readableBytes)
            if received > limit {
                throw AttacheError(.contentTooLarge, "The request body is larger than \(ByteCountText.describe(limit)).")
            }
            try progress.record(chunk.readableBytes)
            try await body(chunk)
        }
    }

    /// Walks one multipart event. A file part's session starts with its first byte, so an empty part
    /// with an empty file name (a browser's file input left blank) is no file at all, as ASP.NET and
    /// PHP treat it.
    private func handle(_ event: MultipartEvent, state: inout FormState, principal: Principal, form: UploadForm, batch: UploadBatch) async throws {
        switch event {
        case .partStart(let headers):
            if let type = headers.last(where: { $0.name == "content-type" })?.value, HeaderParameters(type).value.hasPrefix("multipart/") {
                throw AttacheError(.malformedUpload, "Nested multipart parts are not supported; send each file as its own part.")
            }
            let disposition = HeaderParameters(headers.last { $0.name == "content-disposition" }?.value ?? "")
            let name = disposition["name"] ?? ""
            state.partName = name
            state.fieldValue = ByteBuffer()
            let partType = headers.last(where: { $0.name == "content-type" }).map { HeaderParameters($0.value).value }
            if let fileName = disposition["filename"] {
                let wanted = form.wantsFile(named: name) && !(form.firstFileOnly && state.keptFile)
                state.part = wanted ? .file(name: fileName.isEmpty ? name : fileName, blankName: fileName.isEmpty) : .ignored
            } else if form.octetStreamPartsAreFiles, partType == "application/octet-stream" {
                // A file without a name (busboy's rule): named as an unnamed raw upload, its extension from its bytes.
                let wanted = form.wantsFile(named: name) && !(form.firstFileOnly && state.keptFile)
                state.part = wanted ? .file(name: Self.unnamedRawUpload, blankName: true) : .ignored
            } else {
                state.part = .field
            }
        case .body(let buffer):
            switch state.part {
            case .file(let fileName, _):
                if state.session == nil {
                    state.session = try await beginFile(fileName, state: &state, principal: principal, form: form)
                }
                try await state.session?.write(buffer)
            case .field:
                var buffer = buffer
                state.fieldValue.writeBuffer(&buffer)
                if state.fieldValue.readableBytes > Self.maximumFieldSize {
                    throw AttacheError(.invalidInput, "Form field '\(state.partName)' is longer than \(Self.maximumFieldSize) bytes.", field: state.partName)
                }
            case .ignored:
                break
            }
        case .partEnd:
            switch state.part {
            case .file(let fileName, let blankName):
                if state.session == nil, !blankName {
                    state.session = try await beginFile(fileName, state: &state, principal: principal, form: form)
                }
                if var session = state.session {
                    state.session = nil
                    do {
                        let upload = try await session.finish()
                        await batch.append(.init(fieldName: state.partName, upload: upload))
                        state.keptFile = true
                    } catch {
                        await session.abort()
                        throw error
                    }
                }
            case .field:
                let value = String(decoding: state.fieldValue.readableBytesView, as: UTF8.self)
                if state.partName.caseInsensitiveCompare("sha256") == .orderedSame {
                    // An empty field (a form input left blank) is no digest; any other must be one.
                    state.pendingDigest = value.isEmpty ? nil : try Self.digest(value)
                }
                state.fields[state.partName] = value
            case .ignored:
                break
            }
            state.part = .ignored
        }
    }

    private func beginFile(_ fileName: String, state: inout FormState, principal: Principal, form: UploadForm) async throws -> UploadSession {
        let digest = state.pendingDigest
        state.pendingDigest = nil
        return try await service.beginUpload(principal, fileName: fileName, expectedDigest: digest, policy: form.policy)
    }

    /// A `sha256` form field. - Throws: `invalidInput` for one that is not a SHA-256.
    private static func digest(_ text: String) throws(AttacheError) -> ContentDigest {
        guard let digest = ContentDigest(hexOrBase64: text) else {
            throw AttacheError(.invalidInput, "sha256 must be 64 hex digits or base64 of 32 bytes.", field: "sha256")
        }
        return digest
    }

    /// The name a raw upload is stored under without one of its own: `upload` plus the extension its
    /// content shows.
    package static let unnamedRawUpload = "upload"

    /// The file name of a raw upload: `Content-Disposition`'s `filename`, else the `filename` or `name`
    /// query parameter, else ``unnamedRawUpload``.
    package static func rawFileName(of request: Request) -> String {
        if let disposition = request.headers[.contentDisposition], let name = HeaderParameters(disposition)["filename"], !name.isEmpty {
            return name
        }
        if let name = request.uri.queryParameters["filename"] ?? request.uri.queryParameters["name"], !name.isEmpty {
            return String(name)
        }
        return unnamedRawUpload
    }

    /// Refuses an `Expect` other than `100-continue` (RFC 9110 §10.1.1), before the body is read.
    package func checkExpectation(of request: Request) throws(AttacheError) {
        guard let expectation = request.headers[.expect], expectation.lowercased() != "100-continue" else { return }
        throw AttacheError(.expectationFailed, "Only the 100-continue expectation is supported.")
    }
}

/// What ``UploadIntake`` knows while it walks through a form.
private struct FormState {
    package enum Part {
        /// A wanted file part; `blankName` when the client sent `filename=""`.
        case file(name: String, blankName: Bool)
        case field
        /// A file part the face does not take; its bytes are read and dropped.
        case ignored
    }

    var part = Part.ignored
    package var fields: [String: String] = [:]
    package var session: UploadSession?
    package var partName = ""
    package var fieldValue = ByteBuffer()
    package var pendingDigest: ContentDigest?
    package var keptFile = false
}
