import AttacheCore
import Foundation
import Synchronization

/// An external program run on untrusted content: as a subprocess under `prlimit` (memory, CPU, file
/// size, open files, no core dump), in a scratch folder given as its working and home folder, with a
/// bare environment, without network where the kernel allows an unprivileged network namespace
/// (`unshare --net`), at nice ``niceness`` under `nice` (derived work yields the cores to requests),
/// and killed when it runs past its wall-clock limit or the caller is cancelled.
public struct SandboxedTool: Sendable {
    /// The tool's nice value: a PDF's text and previews can take a core for seconds, which requests
    /// need more.
    public static let niceness = 10

    /// The tool's absolute path.
    public let executable: String
    private let prlimit: String
    private let nice: String
    /// `unshare` with the arguments that cut the network off, when this machine allows it.
    private let networkIsolation: [String]?

    /// Whether the tool runs without network on this machine.
    public var isolatesNetwork: Bool { networkIsolation != nil }

    /// The tool named `name` on `PATH` (or at an absolute path), sandboxed; `nil` when it, `prlimit`
    /// (util-linux) or `nice` (coreutils) is not installed.
    public init?(_ name: String) {
        guard let executable = Self.locate(name), let prlimit = Self.locate("prlimit"), let nice = Self.locate("nice") else { return nil }
        self.executable = executable
        self.prlimit = prlimit
        self.nice = nice
        self.networkIsolation = Self.networkIsolationArguments()
    }

    /// Runs the tool with `arguments` in `folder` under `limits`, with `environment` beside the bare
    /// one, and says how it ended.
    public func run(_ arguments: [String], in folder: URL, limits: ToolLimits, environment: [String: String] = [:]) async throws -> ToolExit {
        let sandbox = [
            "--as=\(limits.addressSpaceBytes)", "--cpu=\(limits.cpuSeconds)", "--fsize=\(limits.fileSizeBytes)",
            "--nofile=\(limits.openFiles)", "--core=0", "--",
        ]
        // prlimit, nice and unshare exec the tool, so the child is the tool itself, leading its own group.
        let child = try ChildProcess(
            prlimit, arguments: sandbox + [nice, "-n", "\(Self.niceness)"] + (networkIsolation ?? []) + [executable] + arguments,
            environment: environment.merging(["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder.path, "TMPDIR": folder.path]) { $1 },
            in: folder.path
        )
        let timedOut = Atomic<Bool>(false)
        // A Dispatch timer on a queue of its own, not a task: a task's sleep ends when the cooperative
        // pool has a thread for it, and on two cores busy with requests that came 20 s late.
        let watchdog = DispatchWorkItem {
            if child.kill() { timedOut.store(true, ordering: .relaxed) }
        }
        Self.watchdogs.asyncAfter(deadline: .now() + limits.wallClock.timeInterval, execute: watchdog)
        let exit = await child.exit()
        watchdog.cancel()
        try Task.checkCancellation()
        return timedOut.load(ordering: .relaxed) ? .timedOut(limits.wallClock) : exit
    }

    /// Where the watchdogs' timers run: a serial queue, which Dispatch gives a thread of its own
    /// whatever the cooperative pool is doing; a timer only sends a signal.
    private static let watchdogs = DispatchQueue(label: "attache.sandboxed-tool.watchdog")

    /// `name`'s absolute path: itself when absolute, else the first executable of that name on `PATH`.
    public static func locate(_ name: String) -> String? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `unshare --net --map-root-user --`, when it works here (user namespaces may be off, or refused
    /// inside a container); `nil` otherwise.
    private static func networkIsolationArguments() -> [String]? {
        guard let unshare = locate("unshare") else { return nil }
        let arguments = [unshare, "--net", "--map-root-user", "--"]
        do {
            let probe = try ChildProcess(unshare, arguments: Array(arguments.dropFirst()) + ["/bin/true"], environment: [:])
            return probe.waitUntilExit() == .exited(0) ? arguments : nil
        } catch {
            return nil
        }
    }
}
