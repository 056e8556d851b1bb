import ArgumentParser
import AttacheCore
import Foundation

/// `attache retention preview`: what the next `gc` would delete by category retention.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "See what categories' retention rules delete.",
        subcommands: [Preview.self]
    )

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the attachments the next gc deletes by their category's retention rule (legal holds kept out).",
            discussion: "--days-ahead N lists what would be due N days from now."
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Only this tenant's attachments (its slug).") var tenant: String?
        @Option(help: "List what is due this many days from now instead of now.") var daysAhead: Int = 0

        func validate() throws {
            guard (0...36_500).contains(daysAhead) else { throw ValidationError("--days-ahead takes 0 to 36500 days.") }
        }

        func run() async throws {
            let (tenant, at) = (tenant, Date().addingTimeInterval(TimeInterval(daysAhead) * 86_400))
            let due = try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.retentionPreview(tenantSlug: tenant, now: at)
            }
            guard !due.isEmpty else {
                print("nothing is due")
                return
            }
            var table = TextTable("DUE", "CATEGORY", "RULE", "FILE", "ATTACHMENT", "RECORD")
            for item in due {
                table.append(
                    TextTable.date(item.dueAt), item.category, CategoryCommand.describe(item.rule), item.fileName,
                    item.attachmentUUID.lowercasedText, item.recordUUID.lowercasedText
                )
            }
            table.print()
            print("\(due.count) attachment(s) due")
        }
    }
}
