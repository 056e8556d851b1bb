import Logging

extension AttacheService {
    /// Scans every stored content with `scanner` (contents stored before scanning was on, or against
    /// newer signatures) and records the verdict on its files: infected ones are quarantined.
    /// - Parameter visit: called after each content, for progress.
    /// - Throws: when the scanner fails (nothing is marked for the content it failed on).
    /// - Parameter actor: who asked, for the `file.quarantine` audit events.
    public func scanStoredContent(
        with scanner: any ContentScanner,
        actor: AuditActor = .cli,
        visit: (BlobAddress, ScanVerdict) -> Void = { _, _ in }
    ) async throws -> ScanReport {
        var report = ScanReport()
        try await metadata.forEachBlob { address, _ in
            guard let reader = try await blobs.open(address, range: nil) else {
                logger.warning("scan skipped missing content", metadata: ["blob": "\(address)"])
                return
            }
            let scan = try await scanner.startScan()
            let verdict: ScanVerdict
            do {
                try await reader.stream { chunk in try await scan.write(chunk) }
                verdict = try await scan.verdict()
            } catch {
                await scan.cancel()
                throw error
            }
            report.scanned += 1
            switch verdict {
            case .clean:
                _ = try await metadata.setScanStatus(.clean, of: address, audit: AuditContext(actor: actor))
            case .infected(let signature):
                let files = try await metadata.setScanStatus(.infected(signature: signature), of: address, audit: AuditContext(actor: actor))
                logger.warning("stored content quarantined", metadata: ["blob": "\(address)", "signature": "\(signature)", "files": "\(files)"])
                report.infected.append((address, signature, files))
            }
            visit(address, verdict)
        }
        return report
    }
}
