import Logging

/// Scanning of uploads: the scanner, and what to do when it cannot answer.
public struct UploadScanning: Sendable {
    /// What an upload gets when the scanner is unreachable, fails or times out.
    public enum FailurePolicy: String, Sendable, CaseIterable {
        /// Refuse the upload (`scan_unavailable`, 503): nothing unscanned is stored. The default.
        case closed
        /// Store it unscanned and log a warning.
        case open

        /// What an upload gets when its scan fails with `error`.
        /// - Throws: `scanUnavailable` when failing closed; failing open, logs and returns (the upload
        ///   goes on unscanned).
        func apply(to error: any Error, fileName: String, logger: Logger) throws(AttacheError) {
            switch self {
            case .closed:
                throw AttacheError(
                    .scanUnavailable, "Uploads cannot be scanned for malware right now; try again later.", underlying: String(reflecting: error)
                )
            case .open:
                logger.warning("upload stored unscanned: the scanner failed", metadata: ["file": "\(fileName)", "error": "\(String(reflecting: error))"])
            }
        }
    }

    public let scanner: any ContentScanner
    public let onFailure: FailurePolicy

    public init(scanner: any ContentScanner, onFailure: FailurePolicy = .closed) {
        self.scanner = scanner
        self.onFailure = onFailure
    }
}
