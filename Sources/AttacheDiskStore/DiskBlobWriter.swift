import AttacheCore
import NIOCore
import NIOFileSystem

/// Writes one upload into a staging file; see ``DiskBlobStore``.
actor DiskBlobWriter: BlobWriter {
    nonisolated let stagingKey: String
    private let path: FilePath
    private var handle: WriteFileHandle?
    /// Where this writer began: 0 for new content, the committed size when it continues a file.
    private let start: Int64
    private var offset: Int64

    init(stagingKey: String, path: FilePath, handle: WriteFileHandle, startingAt start: Int64 = 0) {
        self.stagingKey = stagingKey
        self.path = path
        self.handle = handle
        self.start = start
        self.offset = start
    }

    func write(_ buffer: ByteBuffer) async throws {
        guard let handle else {
            throw AttacheError(.internal, "Write after the staged file was closed.")
        }
        offset += try await handle.write(contentsOf: buffer, toAbsoluteOffset: offset)
    }

    func finish() async throws -> StagedBlob {
        guard let handle else {
            throw AttacheError(.internal, "The staged file was already closed.")
        }
        do {
            try await handle.synchronize()
        } catch {
            await abort()
            throw error
        }
        self.handle = nil
        try await handle.close(makeChangesVisible: true)
        return StagedBlob(stagingKey: stagingKey, size: offset)
    }

    /// Closes and removes the staged file — or, for a continuation, cuts it back to where this writer
    /// began. Runs in its own task so that it completes even when the upload's task was cancelled (a
    /// client that disconnects cancels its request's task).
    func abort() async {
        let handle = self.handle
        self.handle = nil
        let (path, start) = (self.path, self.start)
        await Task {
            // allowed: best-effort cleanup of an aborted upload; gc removes a staging file left behind,
            // and the next continuation drops bytes past the committed size
            if start > 0 {
                try? await handle?.resize(to: .bytes(start))  // allowed: best-effort rollback of an abort
                try? await handle?.close(makeChangesVisible: true)  // allowed: best-effort close of an aborted upload
            } else {
                try? await handle?.close(makeChangesVisible: true)  // allowed: best-effort close of an aborted upload
                _ = try? await FileSystem.shared.removeItem(at: path)  // allowed: gc removes a staging file left behind
            }
        }.value
    }
}
