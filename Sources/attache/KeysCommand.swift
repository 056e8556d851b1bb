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
            let now = Date()
            for key in keys {
                print("\(key.id)\tcreated \(TimestampFormat.utcSeconds(key.createdAt))\t\(Self.state(of: key, at: now))")
            }
        }

        /// `signing`, `signing until …`, `signs from …` (a key waiting for its time), `retired …`.
        static func state(of key: SigningKey, at now: Date) -> String {
            if let retiredAt = key.retiredAt, retiredAt <= now { return "retired \(TimestampFormat.utcSeconds(retiredAt))" }
            if key.signsFrom > now {
                if let retiredAt = key.retiredAt, retiredAt <= key.signsFrom { return "superseded before it signs" }
                return "signs from \(TimestampFormat.utcSeconds(key.signsFrom))"
            }
            return key.retiredAt.map { "signing until \(TimestampFormat.utcSeconds($0))" } ?? "signing"
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign new links with a new key; links signed before keep opening until they expire.",
            discussion: """
                The new key is stored at once and starts signing --activate-in seconds later. Servers load it within their \
                --signing-key-reload seconds and check links signed with it from then on, so keep --activate-in above every \
                node's reload interval: no node then hands out a link another node cannot check yet.
                """
        )
        @OptionGroup var options: DataOptions
        @Option(help: "Seconds until the new key signs (0: at once, for a single node, or with --keep-retired-days 0 for a leaked key).")
        var activateIn: Int = Int(AttacheService.defaultKeyActivationDelay)
        @Option(help: "Delete keys retired this many days ago or longer (keep it above the longest --signed-url-lifetime; 0 with --activate-in 0 deletes the old keys now, and every link they signed stops opening).")
        var keepRetiredDays: Int = 30

        func validate() throws {
            guard activateIn >= 0 else { throw ValidationError("--activate-in must be 0 or more seconds.") }
            guard keepRetiredDays >= 0 else { throw ValidationError("--keep-retired-days must be 0 or more.") }
        }

        func run() async throws {
            let keys = try await DataFolder(options, label: "attache.cli").withService { service in
                try await service.rotateSigningKey(
                    activationDelay: TimeInterval(activateIn), retention: TimeInterval(keepRetiredDays) * 86_400
                )
            }
            guard let new = keys.last else { return }
            let when = activateIn > 0 ? "from \(TimestampFormat.utcSeconds(new.signsFrom))" : "now"
            print("key \(new.id) signs new links \(when); \(keys.count - 1) older key(s) still verify the links they signed")
        }
    }
}
