import AttacheSQL
import AttacheSQLite
import Foundation
import Logging
import SQLKit
import Testing

/// Write transactions that arrive together share one commit: each keeps its own result, one that throws
/// takes only its own changes with it, and what was answered as committed is there after reopening.
@Suite("SQLite group commit", .timeLimit(.minutes(3)))
struct SQLiteGroupCommitTests {
    struct Planned: Error, Equatable {
        let index: Int
    }

    @Test func concurrentTransactionsKeepTheirOwnOutcome() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("group.sqlite").path
        let database = try await SQLiteDatabase.open(path: path, logger: Logger(label: "test"))
        try await database.write { db in
            try await db.raw("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)").run()
        }

        // 300 transactions at once: two rows each; every seventh throws after writing its rows, every
        // fifth only needs to be visible. Each returns its own index and the rows it saw of its own.
        let outcomes = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { group in
            for index in 0..<300 {
                group.addTask {
                    let body: @Sendable (any SQLDatabase) async throws -> Int = { db in
                        try await db.raw("INSERT INTO items (id, label) VALUES (\(bind: index * 2), \(bind: "a\(index)"))").run()
                        try await db.raw("INSERT INTO items (id, label) VALUES (\(bind: index * 2 + 1), \(bind: "b\(index)"))").run()
                        if index % 7 == 0 { throw Planned(index: index) }
                        let own = try await db.raw("SELECT COUNT(*) AS n FROM items WHERE id IN (\(bind: index * 2), \(bind: index * 2 + 1))")
                            .first()?.decode(column: "n", as: Int.self)
                        return (own ?? 0) * 1000 + index
                    }
                    do {
                        let value = index % 5 == 0 ? try await database.writeVisible(body) : try await database.write(body)
                        return (index, .success(value))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var collected: [Int: Result<Int, any Error>] = [:]
            for await (index, outcome) in group { collected[index] = outcome }
            return collected
        }
        for index in 0..<300 {
            switch outcomes[index] {
            case .success(let value):
                #expect(index % 7 != 0)
                #expect(value == 2000 + index)
            case .failure(let error):
                #expect(index % 7 == 0)
                #expect((error as? Planned) == Planned(index: index))
            case nil:
                Issue.record("no outcome for \(index)")
            }
        }
        // The queue keeps committing after groups that held failures.
        let late = try await database.write { db -> Int in
            try await db.raw("INSERT INTO items (id, label) VALUES (100000, 'late')").run()
            return 1
        }
        #expect(late == 1)
        await database.shutdown()

        let reopened = try await SQLiteDatabase.open(path: path, logger: Logger(label: "test"))
        let ids = try await reopened.read { db in
            try await db.raw("SELECT id FROM items ORDER BY id").all().map { try $0.decode(column: "id", as: Int.self) }
        }
        var expected: [Int] = []
        for index in 0..<300 where index % 7 != 0 {
            expected.append(index * 2)
            expected.append(index * 2 + 1)
        }
        expected.append(100_000)
        #expect(ids == expected)
        await reopened.shutdown()
    }
}
