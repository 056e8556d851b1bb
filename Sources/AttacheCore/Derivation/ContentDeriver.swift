public import Foundation

/// Does derived work on content that the service has copied to a scratch file: the seam between the
/// core's job mechanism and the tools (``DerivationKind`` says what; the deriver how). Implementations
/// run external tools as sandboxed subprocesses, never trusting the content.
public protocol ContentDeriver: Sendable {
    /// The text of the content in `file`, of MIME type `mimeType` (a ``TextSource``). Throws
    /// ``DerivationFailure``.
    func extractText(from file: URL, source: TextSource) async throws -> DerivedText

    /// Draws one preview image per ``PreviewSize`` of the content in `file` into `folder` (the job's
    /// scratch folder), each fitting its box and no larger than the content. An image's header was
    /// read and held within ``PreviewLimits`` before this is called. Throws ``DerivationFailure``.
    func makePreviews(from file: URL, source: PreviewSource, in folder: URL) async throws -> [RenderedPreview]
}
