public import Foundation

/// Does derived work on content that the service has copied to a scratch file: the seam between the
/// core's job mechanism and the tools (``DerivationKind`` says what; the deriver how). Implementations
/// run external tools as sandboxed subprocesses, never trusting the content.
public protocol ContentDeriver: Sendable {
    /// The text of the content in `file`, of MIME type `mimeType` (a ``TextSource``). Throws
    /// ``DerivationFailure``.
    func extractText(from file: URL, source: TextSource) async throws -> DerivedText
}
