import Logging
import ServiceLifecycle

extension ServiceGroup {
    /// Runs `service` (an HTTP application) in a group of its own while `body` runs with the port it
    /// listens on (the first value of `ports`, which its `onServerRunning` yields), then stops it as a
    /// deployment does: a graceful shutdown (a cancelled server logs errors), given up after 30 s for
    /// connections a test left open — on a machine running two suites, closing a server's connections
    /// once took more than 5 s. When `body` throws, the server is cancelled.
    package static func serving<Result: Sendable>(
        _ service: some Service, logger: Logger, ports: AsyncStream<Int>, what: String, _ body: (Int) async throws -> Result
    ) async throws -> Result {
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        return try await withThrowingTaskGroup(of: Result?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestFailure("\(what) did not start") }
            let value: Result
            do {
                value = try await body(port)
            } catch {
                tasks.cancelAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            tasks.addTask {
                try await Task.sleep(for: .seconds(30))
                return nil
            }
            _ = try await tasks.next()
            tasks.cancelAll()
            return value
        }
    }
}
