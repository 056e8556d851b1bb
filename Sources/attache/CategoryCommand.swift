import ArgumentParser
import AttacheCore
import Foundation

extension RetentionRule.Start: ExpressibleByArgument {}

/// `attache category list|create|update|delete`: a tenant's categories of documents and their
/// retention rules, as `/v1/categories` manages them (audited as `cli`).
struct CategoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "category",
        abstract: "List, create, change and delete a tenant's categories of documents and their retention rules.",
        subcommands: [List.self, Create.self, Update.self, Delete.self]
    )

    /// The options of a retention rule: `--retention-days`, and `--retention-from` with it (default `upload`).
    struct RetentionOptions: ParsableArguments {
        @Option(help: "Delete the category's attachments this many days after --retention-from (1 to 36500).") var retentionDays: Int?
        @Option(help: "upload (default), or expiresOn (the attachment's own date); with --retention-days.") var retentionFrom: RetentionRule.Start?

        func validate() throws {
            if retentionFrom != nil, retentionDays == nil { throw ValidationError("--retention-from needs --retention-days.") }
        }

        var rule: RetentionRule? { retentionDays.map { RetentionRule(days: $0, from: retentionFrom ?? .upload) } }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tenant's categories.")
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String

        func run() async throws {
            let categories = try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.categories(.commandLine(in: service.tenant(slug: tenant)))
            }
            var table = TextTable("NAME", "RETENTION", "DESCRIPTION")
            for category in categories {
                table.append(category.name, CategoryCommand.describe(category.retention), category.description ?? "-")
            }
            table.print()
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a category, with a retention rule or none.")
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String
        @Argument(help: "Lower-case letters, digits, '-' and '_'.") var name: String
        @Option(help: "What the category holds.") var description: String?
        @OptionGroup var retention: RetentionOptions

        func run() async throws {
            let category = try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.createCategory(
                    .commandLine(in: service.tenant(slug: tenant)), name: name, description: description, retention: retention.rule
                )
            }
            print("category \(category.name) for tenant \(tenant), retention \(CategoryCommand.describe(category.retention))")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a category's description or retention rule.",
            discussion: "Options not given keep their value; --description '' removes the description, --no-retention the rule."
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String
        @Argument(help: "The category's name.") var name: String
        @Option(help: "What the category holds ('' for nothing).") var description: String?
        @OptionGroup var retention: RetentionOptions
        @Flag(help: "Remove the retention rule: the category's attachments stay until deleted.") var noRetention = false

        func validate() throws {
            if noRetention, retention.retentionDays != nil { throw ValidationError("--no-retention removes the rule; give no --retention-days with it.") }
        }

        func run() async throws {
            let newDescription: String?? = description.map { $0.isEmpty ? .some(nil) : .some($0) } ?? .none
            let newRetention: RetentionRule?? = noRetention ? .some(nil) : retention.rule.map { .some($0) } ?? .none
            let category = try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.updateCategory(
                    .commandLine(in: service.tenant(slug: tenant)), name: name, description: newDescription, retention: newRetention
                )
            }
            print("category \(category.name) for tenant \(tenant), retention \(CategoryCommand.describe(category.retention))")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a category no attachment is in.")
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String
        @Argument(help: "The category's name.") var name: String

        func run() async throws {
            try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.deleteCategory(.commandLine(in: service.tenant(slug: tenant)), name: name)
            }
            print("category \(name) deleted")
        }
    }

    static func describe(_ rule: RetentionRule?) -> String {
        rule.map { "\($0.days)d after \($0.from.rawValue)" } ?? "none"
    }
}
