import ArgumentParser
import AttacheCore
import AttacheExtraction
import Foundation

/// `attache index rebuild|status`: derived work — the text of content search reads, and its preview images.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Derive stored content's text (for search) and preview images again, and see how that work stands.",
        subcommands: [Rebuild.self, Status.self]
    )

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue every content (of one tenant) to be derived again, then work the queue here.",
            discussion: """
                The queue moves in batches that each commit: stopped (Ctrl-C, a crash), the next run goes on \
                where the last batch ended; --restart starts from the first content. Running servers work the \
                queue too; --queue-only leaves the reading to them.
                """
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Only this tenant's content (its slug).") var tenant: String?
        @Flag(help: "Start from the first content instead of where an earlier rebuild stopped.") var restart = false
        @Flag(help: "Only queue the work; the servers' workers do it.") var queueOnly = false
        @Option(help: "Jobs worked at once here (default: the number of cores).") var workers = ProcessInfo.processInfo.activeProcessorCount

        func run() async throws {
            let (tenant, restart, queueOnly, workers) = (tenant, restart, queueOnly, max(workers, 1))
            try await DataFolder(options, label: "attache.cli").withService { service in
                var tenantID: Int64?
                if let tenant { tenantID = try await service.tenant(slug: tenant).id }
                let queued = try await service.requeueDerivations(tenantID: tenantID, restart: restart) { queued in
                    print("queued \(queued) content(s)")
                }
                print("queued \(queued) content(s) in all")
                guard !queueOnly else { return }
                let settings = DerivationSettings(workers: workers)
                let counts = try await service.workDerivationQueue(settings, deriver: ToolDeriver())
                print("worked the queue: \(counts.done) done, \(counts.failed) failed, \(counts.retried) to be tried again")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Count the jobs of derived work by state.")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let counts = try await DataFolder(options, label: "attache.cli").withService { try await $0.metadata.countDerivationJobs() }
            for state in ["queued", "running", "done", "failed"] {
                print("\(state): \(counts[state] ?? 0)")
            }
        }
    }
}
