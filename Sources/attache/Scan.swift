import ArgumentParser
import AttacheClamAV
import AttacheCore

/// `attache scan`: scans every stored content with clamd and quarantines what is infected.
struct Scan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan all stored content with clamd; infected files are quarantined (listed, deletable, never served)."
    )
    @OptionGroup var options: DataOptions

    @Option(help: "clamd at unix:PATH or tcp://HOST:PORT (env ATTACHE_CLAMD).")
    var clamd: String = Environment.string("ATTACHE_CLAMD", default: "")

    @Option(help: "Seconds to wait for clamd to connect, take data or give a verdict (env ATTACHE_CLAMD_TIMEOUT).")
    var clamdTimeout: Int = Environment.integer("ATTACHE_CLAMD_TIMEOUT", default: 30)

    func run() async throws {
        let scanner = try Self.scanner(clamd: clamd, timeoutSeconds: clamdTimeout)
        let report = try await DataFolder(options, label: "attache.cli").withService { try await $0.scanStoredContent(with: scanner) }
        for found in report.infected {
            print("INFECTED \(found.address) \(found.signature) (\(found.files) file(s) quarantined)")
        }
        print("scanned \(report.scanned) content(s), \(report.infected.count) infected")
    }

    /// The scanner `--clamd` names (for `serve` and `scan`).
    static func scanner(clamd: String, timeoutSeconds: Int) throws -> ClamAVScanner {
        guard let address = ClamAVAddress(clamd) else {
            throw ValidationError("--clamd must be unix:PATH or tcp://HOST:PORT, not '\(clamd)'.")
        }
        return ClamAVScanner(address: address, timeoutSeconds: max(timeoutSeconds, 1))
    }
}
