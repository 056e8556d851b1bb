/// How one attempt at a derived job ended.
public enum DerivationEnd: String, Sendable, Hashable {
    /// The work is recorded and the job is done.
    case done
    /// It failed in passing; the job is queued again after a backoff.
    case retried
    /// It failed for good; the job is not tried again (until a rebuild queues it).
    case failed
    /// Its claim had ended and another node took the job over: nothing of this attempt was recorded.
    case superseded
}
