import ArgumentParser
import AttacheCore

/// `attache tenant create|update|list`.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Create, update and list tenants.",
        subcommands: [Create.self, Update.self, List.self]
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

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a tenant's quota.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The tenant's slug.") var slug: String
        @Option(help: "Most content the tenant may store, in bytes or with a unit (200MB, 10GiB), or 'none'.") var maxBytes: String?
        @Option(help: "Most files the tenant may store, or 'none'.") var maxFiles: String?

        /// Bad limits are refused here, before anything runs, so the error comes with this command's usage.
        func validate() throws {
            if let maxBytes { _ = try Self.limit(maxBytes, option: "--max-bytes", units: true) }
            if let maxFiles { _ = try Self.limit(maxFiles, option: "--max-files", units: false) }
        }

        func run() async throws {
            let tenant = try await DataFolder(options, label: "attache.cli").withService { service in
                var quota = try await service.tenant(slug: slug).quota
                if let maxBytes { quota.maximumBytes = try Self.limit(maxBytes, option: "--max-bytes", units: true) }
                if let maxFiles { quota.maximumFiles = try Self.limit(maxFiles, option: "--max-files", units: false) }
                return try await service.setQuota(tenantSlug: slug, quota)
            }
            print("tenant \(tenant.slug): quota \(List.describe(tenant.quota))")
        }

        static func limit(_ text: String, option: String, units: Bool) throws -> Int64? {
            if text == "none" { return nil }
            guard let value = units ? ByteCountText.parse(text) : Int64(text), value >= 0 else {
                throw ValidationError("\(option) takes a number" + (units ? " of bytes, with a unit if you like (200MB, 2GiB)," : ", zero or more,") + " or 'none'.")
            }
            return value
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants with their usage and quota.")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let rows = try await DataFolder(options, label: "attache.cli").withService { service in
                var rows: [(Tenant, TenantUsage)] = []
                for tenant in try await service.tenants() {
                    rows.append((tenant, try await service.usage(tenantID: tenant.id)))
                }
                return rows
            }
            var table = TextTable("SLUG", "STORED", "FILES", "QUOTA", "CREATED", "NAME")
            for (tenant, usage) in rows {
                table.append(
                    tenant.slug, ByteCountText.describe(usage.bytes), String(usage.files), Self.describe(usage.quota), TextTable.date(tenant.createdAt),
                    tenant.name
                )
            }
            table.print()
        }

        static func describe(_ quota: TenantQuota) -> String {
            let bytes = quota.maximumBytes.map { ByteCountText.describe($0) } ?? "unlimited"
            let files = quota.maximumFiles.map { "\($0) files" } ?? "unlimited files"
            return "\(bytes), \(files)"
        }
    }
}
