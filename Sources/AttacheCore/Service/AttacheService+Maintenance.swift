import Crypto
import Logging
import NIOCore
public import Foundation

extension AttacheService {
    /// Removes staged uploads and unreferenced blobs last written before `now - grace`.
    ///
    /// The grace period protects uploads in flight, whose blob is written before its metadata commits.
    public func collectGarbage(grace: TimeInterval, now: Date = Date()) async throws -> MaintenanceReport {
        let cutoff = now.addingTimeInterval(-grace)
        var report = MaintenanceReport()
        report.removedStagedContent = try await blobs.removeStagedContent(olderThan: cutoff)
        var orphans: [BlobAddress] = []
        try await blobs.forEachBlob { address, modifiedAt in
            if modifiedAt < cutoff, try await !metadata.blobIsReferenced(address) {
                orphans.append(address)
            }
        }
        for address in orphans where try await metadata.releaseBlobIfUnreferenced(address, release: releaseBlob) {
            report.removedOrphanBlobs += 1
            logger.info("gc removed unreferenced blob", metadata: ["blob": "\(address)"])
        }
        return report
    }

    /// Re-hashes every referenced blob and compares it with its recorded SHA-256 and size.
    public func verifyBlobs() async throws -> MaintenanceReport {
        var report = MaintenanceReport()
        try await metadata.forEachBlob { address, size in
            report.checkedBlobs += 1
            guard let actualSize = try await blobs.size(of: address) else {
                report.problems.append("\(address): content is missing")
                return
            }
            var hasher = SHA256()
            try await blobs.read(address, range: 0..<actualSize) { chunk in
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
            }
            let digest = hasher.finalize().hexString
            if digest != address.sha256 {
                report.problems.append("\(address): content hashes to \(digest)")
            } else if actualSize != size {
                report.problems.append("\(address): \(actualSize) bytes stored, \(size) recorded")
            }
        }
        return report
    }
}
