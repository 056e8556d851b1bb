import ServiceLifecycle

/// A loop `serve` runs beside the HTTP server (background gc, signing-key reloads) as a service of
/// the server's `ServiceGroup`. Its body runs until the group shuts down; a body that returns before
/// that is a fault, never a quiet end: the loop throws ``Ended`` and the group — and so the process —
/// stops with that reason instead of running on without the work.
struct BackgroundLoop: Service, CustomStringConvertible {
    /// What the loop does, for the log (`background gc`, `signing-key reload`).
    let description: String
    let body: @Sendable () async -> Void

    /// Why a loop stopped on its own.
    struct Ended: Error, CustomStringConvertible {
        let loop: String
        var description: String { "the \(loop) loop ended while the server was running" }
    }

    init(_ description: String, body: @escaping @Sendable () async -> Void) {
        self.description = description
        self.body = body
    }

    func run() async throws {
        await cancelWhenGracefulShutdown { await body() }
        // The body returns early when cancelled: the group is stopping, so that is the expected end.
        guard Task.isCancelled || Task.isShuttingDownGracefully else { throw Ended(loop: description) }
    }
}
