public import Foundation

/// What a new version of an attachment's file is stored against: the attachment, and the content it
/// must still show (its ETag: the current file's SHA-256), checked in the transaction that makes the
/// version — so of racing uploads that read the same state, one makes a version and the others are
/// refused (`preconditionFailed`), never lost.
public struct VersionPrecondition: Sendable, Hashable {
    public var attachmentUUID: UUID
    public var currentSHA256: String

    public init(attachmentUUID: UUID, currentSHA256: String) {
        self.attachmentUUID = attachmentUUID
        self.currentSHA256 = currentSHA256
    }

    /// Reads an `If-Match` value: one strong ETag, `"<sha256>"` (a weak or listed one never matches a
    /// version's strong comparison; `*` names no state).
    /// - Throws: `preconditionRequired` when there is none; `preconditionFailed` for any other form.
    public static func sha256(ofIfMatch header: String?) throws(AttacheError) -> String {
        guard let header, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw AttacheError(.preconditionRequired, "A new version needs If-Match with the attachment's current ETag (its download's), so no change is lost.")
        }
        let value = header.trimmingCharacters(in: .whitespaces)
        let inner = value.dropFirst().dropLast()
        guard value.count == 66, value.hasPrefix("\""), value.hasSuffix("\""), inner.allSatisfy(\.isHexDigit) else {
            throw AttacheError(.preconditionFailed, "If-Match must be the attachment's current ETag, one strong tag such as \"9f86…\".")
        }
        return inner.lowercased()
    }
}
