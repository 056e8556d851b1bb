public import AttacheCore
public import Foundation
import Logging

/// The ``ContentDeriver`` a server runs: text through ``ToolTextExtractor``, preview images through
/// ``ToolPreviewRenderer``, every tool sandboxed.
public struct ToolDeriver: ContentDeriver {
    public var text: ToolTextExtractor
    public var previews: ToolPreviewRenderer

    public init(text: ToolTextExtractor = ToolTextExtractor(), previews: ToolPreviewRenderer = ToolPreviewRenderer()) {
        self.text = text
        self.previews = previews
    }

    /// What a server logs at start: which tools were found.
    public func describe(to logger: Logger) {
        text.describe(to: logger)
        previews.describe(to: logger)
    }

    public func extractText(from file: URL, source: TextSource) async throws -> DerivedText {
        try await text.extractText(from: file, source: source)
    }

    public func makePreviews(from file: URL, source: PreviewSource, in folder: URL) async throws -> [RenderedPreview] {
        try await previews.makePreviews(from: file, source: source, in: folder)
    }
}
