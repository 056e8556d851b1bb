import ArgumentParser
import AttacheCore
import Foundation

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
        static let configuration = CommandConfiguration(abstract: "Set a tenant's quota and what it allows of share links.")
        @OptionGroup var options: DataOptions
        @Argument(help: "The tenant's slug.") var slug: String
        @Option(help: "Most content the tenant may store, in bytes or with a unit (200MB, 10GiB), or 'none'.") var maxBytes: String?
        @Option(help: "Most files the tenant may store, or 'none'.") var maxFiles: String?
        @Option(help: "Share links: 'on', or 'off' (none can be made, and every link already out stops working).") var shares: String?
        @Option(help: "A password on every new share link: 'required' or 'optional'.") var sharePassword: String?
        @Option(help: "The longest a share link may live (days, or with a unit: 12h, 30d), or 'none'.") var shareMaxAge: String?
        @Option(help: "The life of a share link made without an expiry (days, or 12h, 30d), or 'none'.") var shareDefaultAge: String?
        @Option(help: "Versions kept of each attachment's file, the current one counted (1 or more), or 'none' for all; gc deletes the rest.") var versionsKeep: String?
        @Option(help: "The oldest an earlier version may be (days, or 12h, 30d), or 'none'; gc deletes older ones.") var versionsMaxAge: String?

        /// Bad values are refused here, before anything runs, so the error comes with this command's usage.
        func validate() throws {
            if let maxBytes { _ = try Self.limit(maxBytes, option: "--max-bytes", units: true) }
            if let maxFiles { _ = try Self.limit(maxFiles, option: "--max-files", units: false) }
            if let shares { _ = try Self.choice(shares, option: "--shares", yes: "on", no: "off") }
            if let sharePassword { _ = try Self.choice(sharePassword, option: "--share-password", yes: "required", no: "optional") }
            if let shareMaxAge { _ = try Self.age(shareMaxAge, option: "--share-max-age") }
            if let shareDefaultAge { _ = try Self.age(shareDefaultAge, option: "--share-default-age") }
            if let versionsKeep { _ = try Self.versions(versionsKeep) }
            if let versionsMaxAge { _ = try Self.age(versionsMaxAge, option: "--versions-max-age") }
        }

        func run() async throws {
            let tenant = try await DataFolder(options, label: "attache.cli").withService { service in
                var tenant = try await service.tenant(slug: slug)
                if maxBytes != nil || maxFiles != nil {
                    var quota = tenant.quota
                    if let maxBytes { quota.maximumBytes = try Self.limit(maxBytes, option: "--max-bytes", units: true) }
                    if let maxFiles { quota.maximumFiles = try Self.limit(maxFiles, option: "--max-files", units: false) }
                    tenant = try await service.setQuota(tenantSlug: slug, quota)
                }
                if shares != nil || sharePassword != nil || shareMaxAge != nil || shareDefaultAge != nil {
                    var policy = tenant.sharePolicy
                    if let shares { policy.allowsShares = try Self.choice(shares, option: "--shares", yes: "on", no: "off") }
                    if let sharePassword { policy.requiresPassword = try Self.choice(sharePassword, option: "--share-password", yes: "required", no: "optional") }
                    if let shareMaxAge { policy.maximumLifetime = try Self.age(shareMaxAge, option: "--share-max-age") }
                    if let shareDefaultAge { policy.defaultLifetime = try Self.age(shareDefaultAge, option: "--share-default-age") }
                    tenant = try await service.setSharePolicy(tenantSlug: slug, policy)
                }
                if versionsKeep != nil || versionsMaxAge != nil {
                    var policy = tenant.versionPolicy
                    if let versionsKeep { policy.keepLast = try Self.versions(versionsKeep) }
                    if let versionsMaxAge { policy.maximumAge = try Self.age(versionsMaxAge, option: "--versions-max-age") }
                    tenant = try await service.setVersionPolicy(tenantSlug: slug, policy)
                }
                return tenant
            }
            print(
                "tenant \(tenant.slug): quota \(List.describe(tenant.quota)); shares \(List.describe(tenant.sharePolicy)); versions \(List.describe(tenant.versionPolicy))"
            )
        }

        /// Versions kept: 1 or more, or 'none' (all kept).
        static func versions(_ text: String) throws -> Int? {
            if text == "none" { return nil }
            guard let value = Int(text), value >= 1 else { throw ValidationError("--versions-keep takes a number of versions, 1 or more, or 'none'.") }
            return value
        }

        static func choice(_ text: String, option: String, yes: String, no: String) throws -> Bool {
            switch text {
            case yes: return true
            case no: return false
            default: throw ValidationError("\(option) takes '\(yes)' or '\(no)'.")
            }
        }

        /// Days (`30`), or a number with a unit (`12h`, `30d`, `90m`), or 'none'. - Returns: seconds.
        static func age(_ text: String, option: String) throws -> TimeInterval? {
            if text == "none" { return nil }
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
            let (digits, unit) = text.last.flatMap { units[$0] }.map { (String(text.dropLast()), $0) } ?? (text, 86_400)
            guard let value = Int64(digits), value > 0, value <= 3650 * 86_400 / Int64(unit) else {
                throw ValidationError("\(option) takes a number of days (or with a unit: 12h, 30d), at most ten years, or 'none'.")
            }
            return Double(value) * unit
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
            var table = TextTable("SLUG", "STORED", "FILES", "QUOTA", "SHARES", "VERSIONS", "CREATED", "NAME")
            for (tenant, usage) in rows {
                table.append(
                    tenant.slug, ByteCountText.describe(usage.bytes), String(usage.files), Self.describe(usage.quota), Self.describe(tenant.sharePolicy),
                    Self.describe(tenant.versionPolicy), TextTable.date(tenant.createdAt), tenant.name
                )
            }
            table.print()
        }

        /// An age as the options take it: `30d`, else `12h`.
        static func age(_ seconds: TimeInterval) -> String {
            seconds.truncatingRemainder(dividingBy: 86_400) == 0 ? "\(Int(seconds / 86_400))d" : "\(Int(seconds / 3600))h"
        }

        static func describe(_ policy: TenantVersionPolicy) -> String {
            guard !policy.keepsAll else { return "all kept" }
            return [policy.keepLast.map { "last \($0)" }, policy.maximumAge.map { "at most \(age($0))" }].compactMap { $0 }.joined(separator: ", ")
        }

        static func describe(_ policy: TenantSharePolicy) -> String {
            guard policy.allowsShares else { return "off" }
            var parts = ["on"]
            if policy.requiresPassword { parts.append("password required") }
            if let longest = policy.maximumLifetime { parts.append("at most \(age(longest))") }
            if let usual = policy.defaultLifetime { parts.append("default \(age(usual))") }
            return parts.joined(separator: ", ")
        }

        static func describe(_ quota: TenantQuota) -> String {
            let bytes = quota.maximumBytes.map { ByteCountText.describe($0) } ?? "unlimited"
            let files = quota.maximumFiles.map { "\($0) files" } ?? "unlimited files"
            return "\(bytes), \(files)"
        }
    }
}
