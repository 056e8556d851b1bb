import ArgumentParser
import AttacheCore
import Foundation

extension TokenScope: ExpressibleByArgument {}

/// What `token create` makes: a bearer token, or sign-in credentials for a vendor client.
enum TokenKind: String, ExpressibleByArgument, CaseIterable {
    case bearer
    case bloxs
    case onlyoffice
}

/// `attache token create|list|revoke`.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a bearer token, or sign-in credentials for a Bloxs or ONLYOFFICE client.",
            discussion: """
                --kind bearer (default) prints the token as the last line.
                --kind bloxs prints 'apiKey: …' and, last, 'apiSecret: …' for POST /Authorization.
                --kind onlyoffice --user NAME prints the password last, for POST /api/2.0/authentication.
                Secrets are shown only once.
                """
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String
        @Option(help: "read, write (implies read) or admin (implies write, and reads the audit trail).") var scope: TokenScope = .write
        @Option(help: "bearer, bloxs or onlyoffice.") var kind: TokenKind = .bearer
        @Option(help: "User name of an ONLYOFFICE sign-in.") var user: String?
        @Option(help: "A note to recognise the token by.") var label: String?

        func run() async throws {
            let folder = try DataFolder(options, label: "attache.cli")
            switch kind {
            case .bearer:
                let (token, secret) = try await folder.withService { service in
                    try await service.createToken(tenantSlug: tenant, scope: scope, label: label)
                }
                print("token \(token.id) for tenant \(tenant), scope \(token.scope.rawValue)")
                print(secret)
            case .bloxs:
                let (credential, secret) = try await folder.withService { service in
                    try await service.createCredential(tenantSlug: tenant, kind: .bloxs, identifier: nil, scope: scope)
                }
                print("Bloxs sign-in for tenant \(tenant), scope \(credential.scope.rawValue): POST /Authorization")
                print("apiKey: \(credential.identifier)")
                print("apiSecret: \(secret)")
            case .onlyoffice:
                let (credential, secret) = try await folder.withService { service in
                    try await service.createCredential(tenantSlug: tenant, kind: .onlyoffice, identifier: user, scope: scope)
                }
                print("ONLYOFFICE user \(credential.identifier) for tenant \(tenant), scope \(credential.scope.rawValue): POST /api/2.0/authentication")
                print(secret)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's tokens (never their secrets).")
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String

        func run() async throws {
            let tokens = try await DataFolder(options, label: "attache.cli").withService { try await $0.tokens(tenantSlug: tenant) }
            var table = TextTable("ID", "SCOPE", "STATE", "CREATED", "EXPIRES", "SIGNED IN AS", "LABEL")
            let now = Date()
            for token in tokens {
                let state = token.revokedAt != nil ? "revoked" : (token.expiresAt.map { $0 <= now } ?? false) ? "expired" : "live"
                let signedIn = token.signedInAs.map { "\($0.kind.rawValue):\($0.identifier)" } ?? "-"
                table.append(
                    String(token.id), token.scope.rawValue, state, TextTable.date(token.createdAt), TextTable.date(token.expiresAt), signedIn,
                    token.label ?? ""
                )
            }
            table.print()
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
            print("revoked token \(id); every server refuses it within its --token-cache-seconds (5 s by default)")
        }
    }
}
