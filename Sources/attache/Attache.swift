import ArgumentParser
import AttacheCore

/// `attache`: the server and its administration commands.
@main
struct Attache: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attache",
        abstract: "Self-hosted attachments for CRM and property-management systems.",
        version: AttacheVersion.current,
        subcommands: [Serve.self, TenantCommand.self, TokenCommand.self, Migrate.self, CollectGarbage.self, Verify.self, Scan.self, AuditCommand.self, KeysCommand.self, BlobsCommand.self],
        defaultSubcommand: Serve.self
    )
}
