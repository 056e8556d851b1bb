import CAttacheSpawn
import Foundation
import Synchronization

/// A program started with `posix_spawn` (see `attache_spawn.c`): in a process group of its own, with
/// default signal handling, standard input from `/dev/null`, its output to a file or nowhere, and none
/// of the parent's descriptors — so a server's sockets and database files never reach a tool.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    /// Set once the process is reaped: its id (and group id) may then belong to another process.
    private let reaped = Atomic<Bool>(false)

    /// Starts `executable` (an absolute path) with `arguments` and exactly `environment`, in `folder`
    /// (the parent's working folder when `nil`), writing standard output and error to the file at
    /// `output` (discarded when `nil`).
    public init(
        _ executable: String, arguments: [String], environment: [String: String], in folder: String? = nil, output: String? = nil
    ) throws {
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let error = attache_spawn(&pid, executable, argv, envp, folder, output)
        guard error == 0 else { throw ChildProcessError(executable: executable, errorNumber: error) }
        self.pid = pid
    }

    /// Waits for the process to end (polling, so no thread is held) and reaps it. When the waiting
    /// task is cancelled, the process group is killed first.
    public func exit() async -> ToolExit {
        var pause = Duration.milliseconds(1)
        while true {
            if let ended = reap(blocking: false) { return ended }
            do {
                try await Task.sleep(for: pause)
            } catch {
                kill()
                return reap(blocking: true) ?? .killed(signal: SIGKILL)
            }
            pause = min(pause * 2, .milliseconds(25))
        }
    }

    /// Waits for the process to end, blocking the calling thread, and reaps it.
    public func waitUntilExit() -> ToolExit {
        reap(blocking: true) ?? .killed(signal: SIGKILL)
    }

    /// Sends `SIGKILL` to the process and everything it started in its group, unless it is reaped;
    /// says whether it did.
    @discardableResult
    public func kill() -> Bool {
        guard !reaped.load(ordering: .acquiring) else { return false }
        return Glibc.kill(-pid, SIGKILL) == 0
    }

    /// How the process ended, once it has; `nil` while it runs (and is not waited for).
    private func reap(blocking: Bool) -> ToolExit? {
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid { break }
            if result == -1 && errno == EINTR { continue }
            // 0: still running; -1 (ECHILD): already reaped, which only this object does.
            return result == 0 ? nil : .killed(signal: SIGKILL)
        }
        reaped.store(true, ordering: .releasing)
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .killed(signal: signal)
    }
}

/// A program could not be started.
public struct ChildProcessError: Error, CustomStringConvertible {
    public var executable: String
    public var errorNumber: Int32

    public var description: String { "\(executable) could not be started: \(String(cString: strerror(errorNumber)))" }
}
