public import Foundation

/// How a node works derived jobs (``AttacheService/deriveContinuously(_:deriver:)``).
public struct DerivationSettings: Sendable {
    /// Jobs worked at once on this node; 0: this node works none.
    public var workers: Int
    /// Where content is copied for the tools, one folder per job, removed after it.
    public var scratchFolder: URL
    /// How long a claim lasts: a job its node has not finished by then is claimed again elsewhere.
    /// Longer than any tool may run.
    public var lease: TimeInterval
    /// How long a worker waits before asking again when no job is due.
    public var idlePoll: Duration
    public var backoff: DerivationBackoff
    /// The largest images previews are made of.
    public var previewLimits: PreviewLimits

    public init(
        workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        scratchFolder: URL = FileManager.default.temporaryDirectory.appendingPathComponent("attache-derive", isDirectory: true),
        lease: TimeInterval = 300,
        idlePoll: Duration = .seconds(1),
        backoff: DerivationBackoff = DerivationBackoff(),
        previewLimits: PreviewLimits = PreviewLimits()
    ) {
        self.workers = workers
        self.scratchFolder = scratchFolder
        self.lease = lease
        self.idlePoll = idlePoll
        self.backoff = backoff
        self.previewLimits = previewLimits
    }
}
