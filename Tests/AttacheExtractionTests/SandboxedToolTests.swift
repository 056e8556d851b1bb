import AttacheCore
import AttacheExtraction
import Foundation
import Testing

/// What the sandbox holds a tool to, measured on real processes: the wall clock, the address space,
/// the CPU time, signals, the environment, and (where the kernel allows it) the network.
@Suite("Sandboxed tools", .timeLimit(.minutes(2)))
struct SandboxedToolTests {
    static let limits = ToolLimits(wallClock: .seconds(20), cpuSeconds: 20, addressSpaceBytes: 256 << 20, fileSizeBytes: 1 << 20)

    static func withFolder<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attache-sandbox-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try await body(folder)
    }

    static func tool(_ name: String) throws -> SandboxedTool {
        try #require(SandboxedTool(name), "\(name) and prlimit are on every machine the suite runs on")
    }

    @Test func aToolThatHangsIsKilledAtItsWallClockLimit() async throws {
        try await Self.withFolder { folder in
            var limits = Self.limits
            limits.wallClock = .milliseconds(500)
            let started = ContinuousClock.now
            let exit = try await Self.tool("sleep").run(["300"], in: folder, limits: limits)
            #expect(exit == .timedOut(.milliseconds(500)))
            // Well before the 300 s it asked for; when it is reaped depends on the cooperative pool (the
            // next test times the kill itself).
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }

    /// The kill does not wait for the cooperative pool: with every thread of it blocked for 3 s, a tool
    /// that touches a file every 50 ms stops touching it at its 500 ms limit. (The watchdog was a task
    /// until 2026-12-07, and its kills came 20 s late under the whole suite.)
    @Test func theKillComesOnTimeWhileThePoolIsBusy() async throws {
        try await Self.withFolder { folder in
            var limits = Self.limits
            limits.wallClock = .milliseconds(500)
            let beat = folder.appendingPathComponent("beat")
            let started = Date()
            let blockers = (0..<ProcessInfo.processInfo.activeProcessorCount).map { _ in
                Task.detached { _ = usleep(3_000_000) }
            }
            let exit = try await Self.tool("sh").run(["-c", "while :; do : > beat; sleep 0.05; done"], in: folder, limits: limits)
            for blocker in blockers { await blocker.value }
            #expect(exit == .timedOut(.milliseconds(500)))
            let lastBeat = try #require(try FileManager.default.attributesOfItem(atPath: beat.path)[.modificationDate] as? Date)
            #expect(lastBeat.timeIntervalSince(started) < 2, "the last beat came \(lastBeat.timeIntervalSince(started)) s after the start")
        }
    }

    @Test func crashesAndCPULimitsAreSeenAsSignals() async throws {
        try await Self.withFolder { folder in
            #expect(try await Self.tool("sh").run(["-c", "kill -SEGV $$"], in: folder, limits: Self.limits) == .killed(signal: SIGSEGV))
            var limits = Self.limits
            limits.cpuSeconds = 1
            // The tool runs at nice 10: on two cores busy with the whole suite, its one second of CPU
            // can take longer than the 20 s of wall clock the other runs get.
            limits.wallClock = .seconds(90)
            let spin = try await Self.tool("sh").run(["-c", "while :; do :; done"], in: folder, limits: limits)
            #expect(spin == .killed(signal: SIGXCPU) || spin == .killed(signal: SIGKILL), "\(spin)")
            #expect(try await Self.tool("sh").run(["-c", "exit 3"], in: folder, limits: Self.limits) == .exited(3))
        }
    }

    @Test func memoryPastTheLimitIsRefusedToTheTool() async throws {
        try await Self.withFolder { folder in
            let python = try Self.tool("python3")
            // 512 MB under a 256 MB address space: Python's allocation fails (MemoryError, status 1).
            #expect(try await python.run(["-c", "b = bytearray(512 * 1024 * 1024)"], in: folder, limits: Self.limits) == .exited(1))
            #expect(try await python.run(["-c", "b = bytearray(16 * 1024 * 1024)"], in: folder, limits: Self.limits) == .exited(0))
        }
    }

    @Test func theToolRunsInItsFolderWithABareEnvironment() async throws {
        try await Self.withFolder { folder in
            // The shell adds PWD, SHLVL and _ of its own; nothing of this process's environment gets through.
            #expect(try await Self.tool("sh").run(["-c", "pwd > seen && env >> seen"], in: folder, limits: Self.limits) == .exited(0))
            let seen = try String(contentsOf: folder.appendingPathComponent("seen"), encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(seen.first == folder.path || seen.first == folder.resolvingSymlinksInPath().path, "\(seen)")
            let names = Set(seen.dropFirst().compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
            #expect(names.isSubset(of: ["PATH", "LANG", "HOME", "TMPDIR", "PWD", "SHLVL", "_"]) && names.contains("TMPDIR"), "\(names)")
        }
    }

    /// Derived work yields the cores to requests: the tool itself (not only a wrapper) runs at nice 10.
    @Test func theToolRunsAtALowerPriority() async throws {
        try await Self.withFolder { folder in
            // Field 19 of /proc/<pid>/stat is the nice value; the shell reads its own.
            #expect(try await Self.tool("sh").run(["-c", "cut -d ' ' -f 19 /proc/$$/stat > seen"], in: folder, limits: Self.limits) == .exited(0))
            let seen = try String(contentsOf: folder.appendingPathComponent("seen"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(seen == "\(SandboxedTool.niceness)")
        }
    }

    @Test func theToolHasNoNetworkWhereTheKernelAllowsIt() async throws {
        let python = try Self.tool("python3")
        try #require(python.isolatesNetwork, "unprivileged network namespaces are off on this machine: tools run with the host's network")
        try await Self.withFolder { folder in
            // A listener on the host's loopback is not reachable from the tool's own network namespace.
            let script = "import socket, time; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); open('\(folder.path)/port', 'w').write(str(s.getsockname()[1])); time.sleep(30)"
            let listener = try ChildProcess(python.executable, arguments: ["-c", script], environment: [:])
            defer {
                listener.kill()
                _ = listener.waitUntilExit()
            }
            let portFile = folder.appendingPathComponent("port")
            let deadline = ContinuousClock.now + .seconds(10)
            while !FileManager.default.fileExists(atPath: portFile.path) || (try? String(contentsOf: portFile, encoding: .utf8))?.isEmpty != false {
                try #require(ContinuousClock.now < deadline, "the listener did not start")
                try await Task.sleep(for: .milliseconds(20))
            }
            let port = try String(contentsOf: portFile, encoding: .utf8)
            let connect = "import socket; socket.create_connection(('127.0.0.1', \(port)), timeout=3)"
            #expect(try await python.run(["-c", connect], in: folder, limits: Self.limits) == .exited(1))
        }
    }
}
