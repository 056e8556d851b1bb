/// How a sandboxed tool's run ended.
public enum ToolExit: Sendable, Hashable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it (a crash, or a kernel limit: `SIGXCPU`, `SIGXFSZ`, `SIGKILL`).
    case killed(signal: Int32)
    /// It ran past its wall-clock limit and was killed.
    case timedOut(Duration)

    public var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .killed(let signal): "was ended by signal \(signal)"
        case .timedOut(let limit): "ran past its limit of \(limit) and was killed"
        }
    }
}
