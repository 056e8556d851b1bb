import AttacheCore
import SQLKit

/// The store's database: every read and write transaction is timed as a metadata store call named
/// after the ``SQLMetadataStore`` method that runs it (its `#function`; ``ServiceMetrics`` cuts it at
/// the parenthesis once per method).
struct TimedDatabase: Sendable {
    let provider: any SQLDatabaseProvider
    let metrics: ServiceMetrics

    var flavor: SQLFlavor { provider.flavor }

    func read<Result: Sendable>(
        operation: String = #function, _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await metrics.timing("metadata", operation) { try await provider.read(body) }
    }

    func write<Result: Sendable>(
        operation: String = #function, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await metrics.timing("metadata", operation) { try await provider.write(body) }
    }

    func writeVisible<Result: Sendable>(
        operation: String = #function, _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await metrics.timing("metadata", operation) { try await provider.writeVisible(body) }
    }

    func migrate(_ body: @escaping @Sendable (any SQLDatabase) async throws -> Void) async throws {
        try await provider.migrate(body)
    }

    func run() async {
        await provider.run()
    }

    func shutdown() async {
        await provider.shutdown()
    }
}
