public import NIOCore

/// The scan of one file: fed its bytes in order, then asked for the verdict.
public protocol ContentScan: Sendable {
    /// Sends the next bytes. - Throws: when the scanner fails or stops answering.
    func write(_ bytes: ByteBuffer) async throws
    /// Ends the content and waits for the scanner's verdict.
    /// - Throws: when the scanner fails, times out or reports an error instead of a verdict.
    func verdict() async throws -> ScanVerdict
    /// Drops the scan without a verdict (the upload failed). Safe to call more than once.
    func cancel() async
}
