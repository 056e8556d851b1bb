import ArgumentParser
import AttacheCore
import AttacheSQL
import Foundation

/// `attache migrate`: brings the database schema up to date.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply database migrations (also done at every start).")
    @OptionGroup var options: DataOptions

    func run() async throws {
        let metadata = try await DataFolder(options, label: "attache.cli").openMetadata()
        await metadata.shutdown()
        print("database is up to date")
    }
}

/// `attache gc`: removes staged uploads and unreferenced blobs older than a grace period, and audit
/// events older than the retention.
struct CollectGarbage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove leftovers of crashed or aborted uploads and blobs no file references."
    )
    @OptionGroup var options: DataOptions
    @Option(help: "Only remove what was released or written longer ago than this many seconds (downloads and uploads in flight finish).")
    var grace: Int = 3600
    @OptionGroup var audit: AuditOptions

    func run() async throws {
        let report = try await DataFolder(options, label: "attache.cli").withService(auditRetention: audit.retention) { service in
            try await service.collectGarbage(grace: TimeInterval(grace))
        }
        print(
            "removed \(report.removedStagedContent) staged upload(s), \(report.removedBlobs) released blob(s), "
                + "\(report.removedOrphanBlobs) blob(s) without a row, \(report.removedAuditEvents) audit event(s), \(report.removedChangeEvents) change event(s), \(report.removedWebhookDeliveries) webhook delivery(ies), \(report.removedVersions) version(s) and \(report.removedByRetention) attachment(s) past retention"
        )
    }
}

/// `attache verify`: re-hashes every blob; exits 1 when any is missing or corrupt.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-hash every stored blob against its recorded SHA-256.",
        discussion: "Each damaged content is printed with its tenant, files, attachments and records; exit status 1 when there is one."
    )
    @OptionGroup var options: DataOptions
    @Flag(help: "Quarantine the files of damaged content: listed and deletable, never served (423); files quarantined so whose content is whole again (restored from a backup) are served again.")
    var quarantine = false

    func run() async throws {
        let report = try await DataFolder(options, label: "attache.cli").withService { try await $0.verifyBlobs(quarantine: quarantine) }
        for problem in report.problems {
            print("PROBLEM \(problem)")
        }
        let quarantined = report.damaged.map(\.quarantinedFiles).reduce(0, +)
        print("checked \(report.checkedBlobs) blob(s), \(report.problems.count) problem(s)" + (quarantine ? ", \(quarantined) file(s) quarantined, \(report.restoredFiles) restored" : ""))
        if !report.problems.isEmpty {
            throw ExitCode(1)
        }
    }
}
