import ArgumentParser
import Logging
import UnixSignals

/// How `serve` ended, and what the process says and returns about it: a drain after a signal is the
/// one clean stop (exit 0, logged at info); anything else — a service that failed or ended on its own,
/// the server stopping with no signal, a second signal cutting the drain short — is logged at error
/// level with its reason and exits non-zero, so a process manager (`Restart=on-failure`) restarts it.
struct ServerStop {
    /// The signal that started the drain, if one came.
    let signal: UnixSignal?
    /// Why the server stopped other than by draining; `nil` after a clean drain.
    let failure: (any Error)?

    /// What the log says.
    var reason: String {
        switch (signal, failure) {
        case (let signal?, nil): "drained after \(signal)"
        case (nil, nil): "every service ended without a signal"
        case (_, let failure as Drain.Interrupted): failure.description
        case (_, let failure?): String(describing: failure)
        }
    }

    var isClean: Bool { signal != nil && failure == nil }

    /// Logs the stop; throws `ExitCode.failure` unless it was clean.
    func exit(logger: Logger) throws {
        guard isClean else {
            logger.error("attache stopped", metadata: ["reason": "\(reason)"])
            throw ExitCode.failure
        }
        logger.info("attache stopped", metadata: ["reason": "\(reason)"])
    }
}
