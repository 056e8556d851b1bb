/// What an external tool may use, per run: enforced by the kernel (`prlimit`: address space, CPU time,
/// size of a file it writes, open files, no core dumps) and by the caller's clock (killed after
/// ``wallClock``).
public struct ToolLimits: Sendable, Hashable {
    public var wallClock: Duration
    public var cpuSeconds: Int
    public var addressSpaceBytes: Int
    public var fileSizeBytes: Int
    public var openFiles: Int

    public init(wallClock: Duration, cpuSeconds: Int, addressSpaceBytes: Int, fileSizeBytes: Int, openFiles: Int = 64) {
        self.wallClock = wallClock
        self.cpuSeconds = cpuSeconds
        self.addressSpaceBytes = addressSpaceBytes
        self.fileSizeBytes = fileSizeBytes
        self.openFiles = openFiles
    }
}
