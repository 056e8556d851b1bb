/// Scanning of uploads: the scanner, and what to do when it cannot answer.
public struct UploadScanning: Sendable {
    /// What an upload gets when the scanner is unreachable, fails or times out.
    public enum FailurePolicy: String, Sendable, CaseIterable {
        /// Refuse the upload (`scan_unavailable`, 503): nothing unscanned is stored. The default.
        case closed
        /// Store it unscanned and log a warning.
        case open
    }

    public let scanner: any ContentScanner
    public let onFailure: FailurePolicy

    public init(scanner: any ContentScanner, onFailure: FailurePolicy = .closed) {
        self.scanner = scanner
        self.onFailure = onFailure
    }
}
