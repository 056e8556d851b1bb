import AttacheCore
import AttacheHTTP
import AttacheJSON
import Foundation
import HTTPTypes
import Hummingbird

/// The Bloxs face: `POST /Authorization` and `POST /api/v1/relations/{kind}/files`.
///
/// Choices where the Bloxs page is silent, following Bloxs' other pages and ASP.NET's behaviour:
/// - Paths exist for persons, organisations, owners, suppliers and estateAgents (Bloxs documents the
///   first two; the others follow its one relation model).
/// - A reference or external identifier of another relation kind is not found on a path (404).
/// - Both identifiers given but naming different relations, or one unknown, is a 400 validation error.
/// - `application/json` bodies carry the file as base64 in `File`; the file is named `File` plus the
///   extension its content shows, since JSON has no file name.
/// - The 200 body is the new file's id as a bare JSON number.
/// - ASP.NET habits: query keys and form fields bind whatever their case (the first value wins); only
///   the first `File` part with a file name is taken; a blank file input is no file; a wrong method on
///   a known path is an empty 405 with `Allow`; GET routes answer HEAD.
package struct BloxsController: Sendable {
    let faces: FaceServices

    package init(faces: FaceServices) {
        self.faces = faces
    }

    package func addRoutes(to group: FaceRoutes) {
        let bloxs = group.renderingErrors(with: BloxsProblem.response)
        bloxs.post("Authorization", use: signIn)
        bloxs.authenticated(BearerAuthenticationMiddleware(service: faces.service))
            .post("api/v1/relations/:relation/files", use: uploadFile)
    }

    /// ASP.NET Core binds JSON members whatever their case: the keys are folded.
    struct SignInRequest: Decodable {
        var apiKey: String?
        var apiSecret: String?

        enum CodingKeys: String, CodingKey {
            case apiKey = "apikey"
            case apiSecret = "apisecret"
        }
    }

    struct SignInResponse: Encodable {
        var token: String
        var expiration: String
    }

    @Sendable func signIn(_ request: Request, context: AttacheRequestContext) async throws -> Response {
        let input = try await RequestBodyDecoder(keys: .caseInsensitive).decode(SignInRequest.self, from: request)
        var errors: [String: [String]] = [:]
        if (input.apiKey ?? "").isEmpty { errors["apiKey"] = ["The apiKey field is required."] }
        if (input.apiSecret ?? "").isEmpty { errors["apiSecret"] = ["The apiSecret field is required."] }
        guard errors.isEmpty, let apiKey = input.apiKey, let apiSecret = input.apiSecret else {
            throw AttacheError(.invalidInput, "The authorization token can't be created", fieldErrors: errors)
        }
        guard let (token, secret) = try await faces.service.signIn(kind: .bloxs, identifier: apiKey, secret: apiSecret, origin: context.origin) else {
            throw AttacheError(.invalidInput, "The authorization token can't be created", field: "apiKey")
        }
        return try JSONResponse.make(SignInResponse(token: secret, expiration: TimestampFormat.utcFractional(token.expiresAt ?? Date())))
    }

    @Sendable func uploadFile(_ request: Request, context: AuthenticatedRequestContext) async throws -> Response {
        let principal = try context.principal(allowedTo: .write)
        guard let relation = BloxsRelation(rawValue: context.parameters.get("relation") ?? "") else {
            throw AttacheError(.notFound, ErrorTranslation.noRouteMessage)
        }
        let record = try await findRelation(relation, request: request, principal: principal)
        let stored = try await faces.intake.receive(request, context: context, for: record, form: Self.uploadForm) { received in
            try await faces.service.storeFiles(principal, received.batch, linkTo: AttachmentLink(recordID: record.id, description: nil))
        }
        guard let file = stored.first?.0 else {
            throw AttacheError(.internal, "The file was not stored.")
        }
        return try JSONResponse.make(file.id)
    }

    /// The relation named by `reference` and/or `externalIdentifier` on this path's kind.
    private func findRelation(_ relation: BloxsRelation, request: Request, principal: Principal) async throws -> Record {
        let query = QueryItems(request, caseInsensitive: true)
        let reference = query.first("reference").flatMap { $0.isEmpty ? nil : $0 }
        let external = query.first("externalIdentifier").flatMap { $0.isEmpty ? nil : $0 }
        guard reference != nil || external != nil else {
            throw AttacheError(.invalidInput, "Either reference or externalIdentifier must have a value.", field: "reference")
        }
        let byReference = try await reference.asyncMap { reference in
            try await faces.service.records(principal, matching: RecordQuery(type: relation.recordType, reference: reference), page: PageRequest(limit: 1)).items.first
        }
        let byExternal = try await external.asyncMap { external in
            try await faces.service.records(principal, matching: RecordQuery(type: relation.recordType, externalIdentifier: external), page: PageRequest(limit: 1)).items.first
        }
        switch (byReference, byExternal) {
        case (let found??, nil), (nil, let found??):
            return found
        case (let a??, let b??) where a.id == b.id:
            return a
        case (.some(nil), .some(nil)), (.some(nil), nil), (nil, .some(nil)):
            throw AttacheError(.notFound, "No \(relation.singularName) matches the given identifier.")
        default:
            throw AttacheError(
                .invalidInput, "reference and externalIdentifier do not identify the same \(relation.singularName).", field: "externalIdentifier"
            )
        }
    }

    /// The `File` part of a multipart body (the first one; ASP.NET binds names case-insensitively), or
    /// the base64 `File` member of a JSON body.
    static let uploadForm = UploadForm(
        fileParts: .named("File"),
        caseInsensitiveNames: true,
        firstFileOnly: true,
        jsonBase64Member: "File",
        missingFile: AttacheError(.missingFile, "No file was uploaded", field: "File")
    )
}

extension Optional {
    /// `map` with an async transform.
    fileprivate func asyncMap<Result>(_ transform: (Wrapped) async throws -> Result) async rethrows -> Result? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
