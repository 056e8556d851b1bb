import ArgumentParser
import AttacheCore

/// `attache tenant create|list`.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create and list tenants.",
        subcommands: [Create.self, List.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant.")
        @OptionGroup var options: DataOptions
        @Argument(help: "Short name: a-z, 0-9 and '-'.") var slug: String
        @Option(help: "Display name (default: the slug).") var name: String?

        func run() async throws {
            let tenant = try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.createTenant(slug: slug, name: name)
            }
            print("created tenant \(tenant.slug) (\(tenant.name))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let tenants = try await DataFolder(options, label: "attache.cli").withService { try await $0.tenants() }
            for tenant in tenants {
                print("\(tenant.slug)\t\(tenant.name)")
            }
        }
    }
}
