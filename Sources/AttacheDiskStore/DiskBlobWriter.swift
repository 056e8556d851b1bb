import AttacheCore
import NIOCore
import NIOFileSystem

/// Writes one upload into a staging file; see ``DiskBlobStore``.
actor DiskBlobWriter: BlobWriter {
    private let stagingKey: String
    private let path: FilePath
    private var handle: WriteFileHandle?
    private var offset: Int64 = 0

    init(stagingKey: String, path: FilePath, handle: WriteFileHandle) {
        self.stagingKey = stagingKey
        self.path = path
        self.handle = handle
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

    /// Closes and removes the staged file. Runs in its own task so that it completes even when the
    /// upload's task was cancelled (a client that disconnects cancels its request's task).
    func abort() async {
        let handle = self.handle
        self.handle = nil
        let path = self.path
        await Task {
            // allowed: best-effort cleanup of an aborted upload; gc removes a staging file left behind
            try? await handle?.close(makeChangesVisible: true)
            _ = try? await FileSystem.shared.removeItem(at: path)
        }.value
    }
}
