/// Checks uploaded content for malware as it arrives (ClamAV's `clamd` in `AttacheClamAV`).
public protocol ContentScanner: Sendable {
    /// Opens a scan for one file. - Throws: when the scanner cannot be reached.
    func startScan() async throws -> any ContentScan
}
