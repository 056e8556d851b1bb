public import Logging
public import SQLKit

extension SQLDatabase {
    /// Runs `body` between `begin` and `COMMIT`, rolling back when it throws. For providers' `write`.
    public func inTransaction<Result>(
        begin: String = "BEGIN",
        logger: Logger,
        _ body: (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(self)
            try await raw("COMMIT").run()
            return result
        } catch {
            do {
                try await raw("ROLLBACK").run()
            } catch let rollbackError {
                logger.error("ROLLBACK failed", metadata: ["error": "\(String(reflecting: rollbackError))"])
            }
            throw error
        }
    }
}
