import AttacheCore
import AttacheHTTP
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /v1/attachments/{uuid}/thumbnail?size=small|large`: the attachment's preview image (a token or
/// a signed link), 202 with `Retry-After` while it is being made.
extension NativeController {
    /// Seconds a client is asked to wait before asking again for an image being made.
    static let previewRetrySeconds = 2

    func thumbnail(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let uuid = try uuidParameter(context, what: "attachment")
        let sizeText = request.uri.queryParameters["size"].map(String.init) ?? PreviewSize.small.rawValue
        guard let size = PreviewSize(rawValue: sizeText) else {
            throw AttacheError(.invalidInput, "size must be small or large.", field: "size")
        }
        let principal = try await signedLinks.principal(for: request, context: context)
        let attached = try await service.attachment(principal, uuid: uuid)
        switch try await service.preview(principal, of: attached, size: size) {
        case .ready(let image):
            do {
                return try await content.respond(to: request, preview: image, of: attached.file)
            } catch is PreviewImageMissing {
                return try pending(.queued)  // lost from storage, and queued to be made again
            }
        case .pending(let state):
            return try pending(state)
        }
    }

    private func pending(_ state: DerivationState) throws -> Response {
        try JSONResponse.make(
            NativePreviewPending(state: state.rawValue, retryAfter: Self.previewRetrySeconds), status: .accepted,
            headers: [.retryAfter: "\(Self.previewRetrySeconds)", .cacheControl: "no-store"]
        )
    }
}

/// The body of a 202 from the thumbnail route.
struct NativePreviewPending: Encodable {
    /// `queued` or `running`.
    var state: String
    /// Seconds to wait before asking again (as the `Retry-After` header says).
    var retryAfter: Int
}
