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
        abstract: "Create, list, rotate and revoke API tokens and vendor sign-in credentials.",
        subcommands: [Create.self, List.self, Revoke.self, Rotate.self]
    )

    /// `kind:identifier` of a vendor sign-in credential, as `token list` shows it (`bloxs:bk_…`, `onlyoffice:jan`).
    struct CredentialName: ExpressibleByArgument {
        let kind: CredentialKind
        let identifier: String

        init?(argument: String) {
            guard let colon = argument.firstIndex(of: ":"), let kind = CredentialKind(rawValue: String(argument[..<colon])) else { return nil }
            let identifier = String(argument[argument.index(after: colon)...])
            guard !identifier.isEmpty else { return nil }
            self.kind = kind
            self.identifier = identifier
        }
    }

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
        static let configuration = CommandConfiguration(abstract: "List a tenant's tokens and sign-in credentials (never their secrets).")
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String

        func run() async throws {
            let (tokens, credentials) = try await DataFolder(options, label: "attache.cli").withService { service in
                (try await service.tokens(tenantSlug: tenant), try await service.credentials(tenantSlug: tenant))
            }
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
            guard !credentials.isEmpty else { return }
            print("")
            var signIns = TextTable("SIGN-IN CREDENTIAL", "SCOPE", "STATE", "CREATED")
            for credential in credentials {
                signIns.append(
                    "\(credential.kind.rawValue):\(credential.identifier)", credential.scope.rawValue, credential.revokedAt == nil ? "live" : "revoked",
                    TextTable.date(credential.createdAt)
                )
            }
            signIns.print()
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token by its id, or sign-in credentials with --credential (ending every session they made)."
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String
        @Argument(help: "Token id, as shown by 'token list'.") var id: Int64?
        @Option(help: "Sign-in credentials as 'token list' shows them: bloxs:KEY or onlyoffice:USER.") var credential: CredentialName?

        func validate() throws {
            guard (id == nil) != (credential == nil) else {
                throw ValidationError("Name a token id or --credential kind:identifier (one of them).")
            }
        }

        func run() async throws {
            let folder = try DataFolder(options, label: "attache.cli")
            if let credential {
                try await folder.withService { service in
                    try await service.revokeCredential(tenantSlug: tenant, kind: credential.kind, identifier: credential.identifier)
                }
                print("revoked \(credential.kind.rawValue):\(credential.identifier) and the sessions it made; every server refuses them within its --token-cache-seconds (5 s by default)")
            } else if let id {
                try await folder.withService { service in
                    try await service.revokeToken(tenantSlug: tenant, id: id)
                }
                print("revoked token \(id); every server refuses it within its --token-cache-seconds (5 s by default)")
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give sign-in credentials a new secret (printed last, once); the old one and its sessions stop working."
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Tenant slug.") var tenant: String
        @Option(help: "Sign-in credentials as 'token list' shows them: bloxs:KEY or onlyoffice:USER.") var credential: CredentialName

        func run() async throws {
            let (_, secret) = try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.rotateCredential(tenantSlug: tenant, kind: credential.kind, identifier: credential.identifier)
            }
            print("new secret for \(credential.kind.rawValue):\(credential.identifier); its sessions ended")
            print(secret)
        }
    }
}
