import ArgumentParser
import AttacheCore
import AttacheHTTP
import AttacheJSON
import Foundation

/// `attache keys`: the link signing keys kept in the database.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "List or rotate the keys that sign download links (kept in the database, shared by every node).",
        subcommands: [List.self, Rotate.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the signing keys (never their secrets).")
        @OptionGroup var options: DataOptions

        func run() async throws {
            let keys = try await DataFolder(options, label: "attache.cli").withService { try await $0.signingKeys() }
            for key in keys {
                let state = key.retiredAt.map { "retired \(TimestampFormat.utcSeconds($0))" } ?? "signing"
                print("\(key.id)\tcreated \(TimestampFormat.utcSeconds(key.createdAt))\t\(state)")
            }
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign new links with a new key; links signed before keep opening until they expire. Servers pick the key up within --signing-key-reload seconds."
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Delete keys retired longer ago than this many days (keep it above the longest --signed-url-lifetime).")
        var keepRetiredDays: Int = 30

        func run() async throws {
            let keys = try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.rotateSigningKey(retention: TimeInterval(max(keepRetiredDays, 0)) * 86_400)
            }
            let signing = keys.last { $0.retiredAt == nil }
            print("key \(signing?.id ?? 0) signs new links; \(keys.count - 1) retired key(s) still verify")
        }
    }
}
