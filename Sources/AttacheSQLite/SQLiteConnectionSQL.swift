import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit

/// SQLKit over one ``SQLiteHandle``: the store's SQL, serialised by sqlite-kit's dialect, runs through
/// the handle's kept statements, where ``execution`` says.
struct SQLiteConnectionSQL: SQLDatabase {
    let handle: SQLiteHandle
    let execution: SQLiteExecution
    let logger: Logger
    private let encoder = SQLiteDataEncoder()

    init(_ handle: SQLiteHandle, execution: SQLiteExecution, logger: Logger) {
        self.handle = handle
        self.execution = execution
        self.logger = logger
    }

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await self.execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, rawBinds) = serialize(query)
        let binds = try rawBinds.map { try encoder.encode($0) }
        let handle = self.handle
        try await execution.run { try handle.run(sql, binds, onRow) }
    }
}
