import AttacheCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Receives upload bodies for every face: streams each file part through an ``UploadSession`` as it
/// arrives, so memory stays flat whatever the file size.
struct UploadReceiver: Sendable {
    let service: AttacheService
    /// Largest request body accepted, checked against `Content-Length` before the body is read and
    /// against the bytes actually received.
    let maximumRequestSize: Int64
    /// Largest text (non-file) field of a form.
    static let maximumFieldSize = 64 * 1024

    /// Refuses a request whose declared length is over the limit, before the body is read.
    func checkDeclaredLength(of request: Request) throws(AttacheError) {
        if let declared = request.headers[.contentLength].flatMap({ Int64($0) }), declared > maximumRequestSize {
            throw AttacheError(.contentTooLarge, "The request body (\(declared) bytes) is larger than the limit of \(maximumRequestSize) bytes.")
        }
    }

    /// The multipart boundary of a `multipart/form-data` request, or `nil` for another media type.
    static func multipartBoundary(of request: Request) -> String? {
        guard let contentType = request.headers[.contentType] else { return nil }
        let parsed = HeaderParameters(contentType)
        guard parsed.value == "multipart/form-data" else { return nil }
        return parsed["boundary"]
    }

    /// Reads a `multipart/form-data` body. A part is a file when it carries a file name or when
    /// `isFileField(name)` says so; other parts are text fields. A `sha256` field sets the expected
    /// digest of the next file part.
    ///
    /// On failure nothing stays staged.
    func receiveMultipart(
        _ request: Request,
        context: AttacheRequestContext,
        principal: Principal,
        boundary: String,
        policy: UploadPolicy? = nil,
        isFileField: (String) -> Bool = { _ in false }
    ) async throws -> ReceivedForm {
        try checkDeclaredLength(of: request)
        var reader = try MultipartStreamReader(boundary: boundary)
        var state = FormState()
        context.acceptBody(of: request)
        do {
            var received: Int64 = 0
            for try await chunk in request.body {
                received += Int64(chunk.readableBytes)
                try checkReceived(received)
                for event in try reader.feed(chunk) {
                    try await handle(event, state: &state, principal: principal, policy: policy, isFileField: isFileField)
                }
            }
            try reader.finish()
            return state.form
        } catch {
            await state.current?.abort()
            await state.form.discard(using: service)
            throw error
        }
    }

    /// Reads a raw (non-multipart) body as one file.
    func receiveRaw(
        _ request: Request,
        context: AttacheRequestContext,
        principal: Principal,
        fileName: String
    ) async throws -> CompletedUpload {
        try checkDeclaredLength(of: request)
        let digest = try request.headers[.contentDigest].flatMap { header throws(AttacheError) in
            try ContentDigest.fromContentDigestField(header)
        }
        var session = try await service.beginUpload(principal, fileName: fileName, expectedDigest: digest)
        context.acceptBody(of: request)
        do {
            for try await chunk in request.body {
                try await session.write(chunk)
            }
            if let declared = request.headers[.contentLength].flatMap({ Int64($0) }), declared != session.byteCount {
                throw AttacheError(.malformedUpload, "The body ended after \(session.byteCount) of \(declared) bytes.")
            }
            return try await session.finish()
        } catch {
            await session.abort()
            throw error
        }
    }

    /// The file name of a raw upload: `Content-Disposition`'s `filename`, else the `name` or `filename`
    /// query parameter. - Throws: `invalidInput` when there is none.
    static func rawFileName(of request: Request) throws(AttacheError) -> String {
        if let disposition = request.headers[.contentDisposition], let name = HeaderParameters(disposition)["filename"], !name.isEmpty {
            return name
        }
        if let name = request.uri.queryParameters["filename"] ?? request.uri.queryParameters["name"], !name.isEmpty {
            return String(name)
        }
        throw AttacheError(.invalidInput, "Name the file with Content-Disposition: attachment; filename=\"…\" or ?filename=.", field: "filename")
    }

    private func checkReceived(_ received: Int64) throws(AttacheError) {
        if received > maximumRequestSize {
            throw AttacheError(.contentTooLarge, "The request body is larger than the limit of \(maximumRequestSize) bytes.")
        }
    }

    private func handle(
        _ event: MultipartEvent,
        state: inout FormState,
        principal: Principal,
        policy: UploadPolicy?,
        isFileField: (String) -> Bool
    ) async throws {
        switch event {
        case .partStart(let headers):
            let disposition = HeaderParameters(headers.last { $0.name == "content-disposition" }?.value ?? "")
            let name = disposition["name"] ?? ""
            state.partName = name
            if let fileName = disposition["filename"] ?? (isFileField(name) ? name : nil) {
                let digest = try state.pendingDigest.map { text throws(AttacheError) in
                    guard let digest = ContentDigest(hexOrBase64: text) else {
                        throw AttacheError(.invalidInput, "sha256 must be 64 hex digits or base64 of 32 bytes.", field: "sha256")
                    }
                    return digest
                }
                state.pendingDigest = nil
                state.current = try await service.beginUpload(
                    principal, fileName: fileName.isEmpty ? name : fileName, expectedDigest: digest, policy: policy
                )
            } else {
                state.fieldValue = ByteBuffer()
            }
        case .body(let buffer):
            if state.current != nil {
                try await state.current?.write(buffer)
            } else {
                var buffer = buffer
                state.fieldValue.writeBuffer(&buffer)
                if state.fieldValue.readableBytes > Self.maximumFieldSize {
                    throw AttacheError(.invalidInput, "Form field '\(state.partName)' is longer than \(Self.maximumFieldSize) bytes.", field: state.partName)
                }
            }
        case .partEnd:
            if var session = state.current {
                state.current = nil
                do {
                    let upload = try await session.finish()
                    state.form.files.append(.init(fieldName: state.partName, upload: upload))
                } catch {
                    await session.abort()
                    throw error
                }
            } else {
                let value = String(buffer: state.fieldValue)
                if state.partName == "sha256" {
                    state.pendingDigest = value
                }
                state.form.fields[state.partName] = value
            }
        }
    }
}

/// What ``UploadReceiver`` knows while it walks through a form.
private struct FormState {
    var form = ReceivedForm()
    var current: UploadSession?
    var partName = ""
    var fieldValue = ByteBuffer()
    var pendingDigest: String?
}
