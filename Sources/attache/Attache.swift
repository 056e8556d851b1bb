import ArgumentParser
import AttacheCore
import Foundation

/// `attache`: the server and its administration commands.
@main
struct Attache: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attache",
        abstract: "Self-hosted attachments for CRM and property-management systems.",
        version: AttacheVersion.current,
        subcommands: [Serve.self, TenantCommand.self, TokenCommand.self, Migrate.self, CollectGarbage.self, Verify.self, Scan.self, AuditCommand.self, KeysCommand.self, BlobsCommand.self, IndexCommand.self, RetentionCommand.self, CategoryCommand.self],
        defaultSubcommand: Serve.self
    )

    /// Runs the command the arguments name. An error it throws is reported with that command's usage
    /// (`attache tenant update …` for a bad `--max-bytes`), not the root's.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var synchronous = command
                try synchronous.run()
            }
        } catch let error as ValidationError {
            // A bad option found while running: said with this command's usage, as a parse error is.
            let usage = usageString(for: type(of: command))
            FileHandle.standardError.write(Data("Error: \(error.message)\nUsage: \(usage)\n  See '\(usage.prefix { $0 != "[" && $0 != "<" && $0 != "-" }.trimmingCharacters(in: .whitespaces)) --help' for more information.\n".utf8))
            exit(withError: ExitCode.validationFailure)
        } catch {
            exit(withError: error)
        }
    }
}
