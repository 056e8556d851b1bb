@testable import AttacheDiskStore
import Foundation
import NIOFileSystem
import Testing

/// Disk reads share a fixed buffer budget: one download reads big chunks, many at once read smaller
/// ones, and a reader that goes away gives its share back.
@Suite("Disk read budget", .timeLimit(.minutes(3)))
struct ReadBudgetTests {
    @Test func chunksShrinkWithConcurrentReadersAndGrowBackWhenTheyEnd() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("content").path
        try Data(repeating: 7, count: 1000).write(to: URL(fileURLWithPath: path))
        let budget = ReadBudget(bytes: 8 * 1024 * 1024)

        var readers: [DiskBlobReader] = []
        for _ in 0..<64 {
            guard let reader = try DiskBlobReader(path: FilePath(path), range: nil, budget: budget) else {
                Issue.record("the file is there")
                return
            }
            readers.append(reader)
        }
        #expect(readers.first?.chunkLength == ReadBudget.largestChunk)
        #expect(readers[15].chunkLength == ReadBudget.largestChunk)
        #expect(readers[16].chunkLength == 8 * 1024 * 1024 / 17)
        #expect(readers.last?.chunkLength == 128 * 1024)
        readers.removeAll()
        #expect(budget.admit() == ReadBudget.largestChunk)
        budget.release()

        // A missing file is no reader and takes no share.
        #expect(try DiskBlobReader(path: FilePath(path + ".missing"), range: nil, budget: budget) == nil)
        #expect(budget.admit() == ReadBudget.largestChunk)
        for _ in 0..<200 { _ = budget.admit() }
        #expect(budget.admit() == ReadBudget.smallestChunk)
    }
}
