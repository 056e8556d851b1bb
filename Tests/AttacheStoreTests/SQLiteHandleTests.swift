@testable import AttacheSQLite
import Foundation
import Logging
import SQLKit
import Testing

/// The SQLite connections of the store: kept statements run again with new values without being
/// compiled again, a failing statement leaves its connection usable, no read keeps the write-ahead
/// log from being checkpointed, and concurrent reads each get a connection of their own.
@Suite("SQLite connections", .timeLimit(.minutes(3)))
struct SQLiteHandleTests {
    @Test func keptStatementsRunWithNewValuesWithoutBeingCompiledAgain() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let handle = try SQLiteHandle.open(path: folder.url.appendingPathComponent("kept.sqlite").path, busyTimeoutMilliseconds: 1000)
        defer { handle.close() }
        try handle.run("CREATE TABLE items (id INTEGER PRIMARY KEY, owner INTEGER NOT NULL, note TEXT)", []) { _ in }
        // A partial index made SQLite look at bound values when planning, and compile again at each new value.
        try handle.run("CREATE INDEX items_noted ON items (owner, id) WHERE note IS NOT NULL", []) { _ in }
        for id in 0..<6 {
            try handle.run("INSERT INTO items (id, owner, note) VALUES (?, ?, ?)", [.integer(id), .integer(id % 3), .text("n\(id)")]) { _ in }
        }
        let select = "SELECT id FROM items WHERE owner = ? AND note IS NOT NULL ORDER BY id"
        for owner in [0, 1, 2, 0, 1, 2] {
            var ids: [Int] = []
            try handle.run(select, [.integer(owner)]) { row in
                if let id = try? row.decode(column: "id", as: Int.self) { ids.append(id) }
            }
            #expect(ids == [owner, owner + 3])
        }
        #expect(handle.recompilations(of: select) == 0)
        #expect(handle.recompilations(of: "INSERT INTO items (id, owner, note) VALUES (?, ?, ?)") == 0)
    }

    @Test func aFailingStatementLeavesTheConnectionUsable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let handle = try SQLiteHandle.open(path: folder.url.appendingPathComponent("fail.sqlite").path, busyTimeoutMilliseconds: 1000)
        defer { handle.close() }
        try handle.run("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)", []) { _ in }
        let insert = "INSERT INTO items (id, label) VALUES (?, ?)"
        try handle.run(insert, [.integer(1), .text("")]) { _ in }
        #expect {
            try handle.run(insert, [.integer(1), .text("again")]) { _ in }
        } throws: { error in
            guard let error = error as? SQLiteCallError else { return false }
            // SQLITE_CONSTRAINT_PRIMARYKEY, SQLite's extended code.
            return error.code == 1555 && error.message.contains("UNIQUE") && error.sql == insert
        }
        #expect(throws: SQLiteCallError.self) { try handle.run("SELECT * FROM missing", []) { _ in } }
        try handle.run(insert, [.integer(2), .text("two")]) { _ in }
        var labels: [String] = []
        try handle.run("SELECT label FROM items ORDER BY id", []) { row in
            if let label = try? row.decode(column: "label", as: String.self) { labels.append(label) }
        }
        // An empty text stays an empty text (not NULL) through binding and reading.
        #expect(labels == ["", "two"])
    }

    @Test func moreStatementsThanTheLimitStillRun() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let handle = try SQLiteHandle.open(path: folder.url.appendingPathComponent("limit.sqlite").path, busyTimeoutMilliseconds: 1000)
        defer { handle.close() }
        for number in 0..<(SQLiteHandle.statementLimit * 2 + 3) {
            var seen: Int?
            try handle.run("SELECT \(number) AS n", []) { seen = try? $0.decode(column: "n", as: Int.self) }
            #expect(seen == number)
            #expect(handle.keptStatementCount <= SQLiteHandle.statementLimit)
        }
    }

    @Test func readsLeaveNothingThatBlocksACheckpointAndRunConcurrently() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("reads.sqlite").path
        let database = try await SQLiteDatabase.open(path: path, readerCount: 2, logger: Logger(label: "test"))
        try await database.write { db in
            try await db.raw("CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)").run()
            for id in 0..<100 {
                try await db.raw("INSERT INTO items (id, label) VALUES (\(bind: id), \(bind: "item \(id)"))").run()
            }
        }
        // 64 reads at once, each suspending between its two statements: more than the two connections opened.
        let totals = try await withThrowingTaskGroup(of: Int.self) { group in
            for reader in 0..<64 {
                group.addTask {
                    try await database.read { db in
                        let first = try await db.raw("SELECT COUNT(*) AS n FROM items WHERE id >= \(bind: reader)").first()?
                            .decode(column: "n", as: Int.self)
                        await Task.yield()
                        try await Task.sleep(for: .milliseconds(5))
                        let rows = try await db.raw("SELECT label FROM items WHERE id < \(bind: reader) ORDER BY id").all()
                        return (first ?? 0) + rows.count
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(totals.count == 64 && totals.allSatisfy { $0 == 100 })

        // Every read has ended its read transaction: a checkpoint that truncates the log, from another
        // connection as the CLI's would be, is not blocked.
        let other = try SQLiteHandle.open(path: path, busyTimeoutMilliseconds: 1000)
        defer { other.close() }
        var busy: Int?
        try other.run("PRAGMA wal_checkpoint(TRUNCATE)", []) { busy = try? $0.decode(column: "busy", as: Int.self) }
        #expect(busy == 0)
        await database.shutdown()

        // Once shut down, a read fails rather than opening a connection nobody closes.
        await #expect(throws: SQLiteCallError.self) {
            try await database.read { db in try await db.raw("SELECT 1").run() }
        }
    }
}
