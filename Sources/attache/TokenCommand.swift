import ArgumentParser
import AttacheCore

extension TokenScope: ExpressibleByArgument {}

/// `attache token create|list|revoke`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a bearer token. The token is the last line of output and is shown only once."
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String
        @Option(help: "read or write (write implies read).") var scope: TokenScope = .write
        @Option(help: "A note to recognise the token by.") var label: String?

        func run() async throws {
            let (token, secret) = try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.createToken(tenantSlug: tenant, scope: scope, label: label)
            }
            print("token \(token.id) for tenant \(tenant), scope \(token.scope.rawValue)")
            print(secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's tokens (never their secrets).")
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String

        func run() async throws {
            let tokens = try await DataFolder(options, label: "attache.cli").withService { try await $0.tokens(tenantSlug: tenant) }
            for token in tokens {
                let state = token.revokedAt == nil ? "live" : "revoked"
                print("\(token.id)\t\(token.scope.rawValue)\t\(state)\t\(token.label ?? "")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by its id.")
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String
        @Argument(help: "Token id, as shown by 'token list'.") var id: Int64

        func run() async throws {
            try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.revokeToken(tenantSlug: tenant, id: id)
            }
            print("revoked token \(id)")
        }
    }
}
