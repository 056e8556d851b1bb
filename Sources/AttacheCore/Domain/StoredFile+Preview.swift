extension StoredFile {
    /// Whether preview images are (or will be) made of this file: its type has them, and it is not
    /// quarantined.
    public var hasPreview: Bool {
        guard PreviewSource(mimeType: mimeType) != nil else { return false }
        switch scan {
        case .unscanned, .clean: return true
        case .infected, .damaged: return false
        }
    }
}
