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
        self.handle = nil
        try await handle.synchronize()
        try await handle.close(makeChangesVisible: true)
        return StagedBlob(stagingKey: stagingKey, size: offset)
    }

    func abort() async {
        if let handle {
            self.handle = nil
            try? await handle.close(makeChangesVisible: true)
        }
        _ = try? await FileSystem.shared.removeItem(at: path)
    }
}
