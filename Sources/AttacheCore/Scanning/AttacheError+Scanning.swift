extension AttacheError {
    /// The refusal of an upload that must be scanned when the scanner fails.
    static func scanUnavailable(underlying error: any Error) -> AttacheError {
        AttacheError(.scanUnavailable, "Uploads cannot be scanned for malware right now; try again later.", underlying: String(reflecting: error))
    }
}
