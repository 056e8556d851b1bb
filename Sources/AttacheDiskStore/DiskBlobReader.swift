import AttacheCore
import NIOCore
import NIOFileSystem
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Content opened on disk: holds the file's descriptor from before the response headers go out until
/// the reader is released, so a concurrent delete (which only unlinks the name) cannot cut a download
/// short. The descriptor is closed when the last reference goes, whether or not the body was streamed.
final class DiskBlobReader: BlobReader {
    let contentSize: Int64
    private let descriptor: CInt
    private let range: Range<Int64>
    let chunkLength: Int
    private let budget: ReadBudget

    /// Opens `path`, or returns `nil` when there is no such file; its chunk length comes from `budget`.
    init?(path: FilePath, range: Range<Int64>?, budget: ReadBudget) throws {
        let descriptor = open(path.string, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let error = errno
            if error == ENOENT { return nil }
            throw AttacheError(.storageUnavailable, "Cannot open stored content.", underlying: "open \(path): errno \(error)")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = errno
            close(descriptor)
            throw AttacheError(.storageUnavailable, "Cannot read stored content.", underlying: "fstat \(path): errno \(error)")
        }
        self.descriptor = descriptor
        self.contentSize = Int64(status.st_size)
        let whole = 0..<Int64(status.st_size)
        self.range = range.map { $0.clamped(to: whole) } ?? whole
        self.budget = budget
        self.chunkLength = budget.admit()
    }

    /// How many chunk buffers one download keeps for reuse: one being read ahead, one being handed to
    /// the socket, the others still queued there. A buffer is reused once the socket has let it go.
    static let reusedBuffers = 4

    /// Streams the range, reading each chunk while the one before it goes to the socket.
    func stream(into consume: (ByteBuffer) async throws -> Void) async throws {
        var spare: [ByteBuffer] = []
        var offset = range.lowerBound
        var reading = offset < range.upperBound ? startRead(at: offset, spare: &spare) : nil
        while let current = reading {
            let chunk = try await current.value
            guard chunk.readableBytes > 0 else {
                throw AttacheError(.storageUnavailable, "Stored content ended early.", underlying: "offset \(offset) of \(range)")
            }
            offset += Int64(chunk.readableBytes)
            if spare.count < Self.reusedBuffers { spare.append(chunk) }
            reading = offset < range.upperBound ? startRead(at: offset, spare: &spare) : nil
            do {
                try await consume(chunk)
            } catch {
                _ = await reading?.result
                throw error
            }
        }
    }

    /// Starts reading the chunk at `offset` on the thread pool; the task keeps this reader (and so its
    /// descriptor) alive until the read is done.
    private func startRead(at offset: Int64, spare: inout [ByteBuffer]) -> Task<ByteBuffer, any Error> {
        let length = Int(min(Int64(chunkLength), range.upperBound - offset))
        // A fresh buffer per chunk costs page faults and madvise calls in glibc: reuse released ones.
        let slot = ChunkSlot(Self.takeReleased(from: &spare) ?? ByteBufferAllocator().buffer(capacity: chunkLength))
        return Task { [self] in
            try await NIOThreadPool.singleton.runIfActive {
                try Self.read(self.descriptor, offset: offset, length: length, into: slot.take())
            }
        }
    }

    /// A buffer from `spare` that nothing else references any more, removed from it.
    private static func takeReleased(from spare: inout [ByteBuffer]) -> ByteBuffer? {
        for index in spare.indices where spare[index].modifyIfUniquelyOwned({ _ in true }) == true {
            return spare.remove(at: index)
        }
        return nil
    }

    private static func read(_ descriptor: CInt, offset: Int64, length: Int, into reused: ByteBuffer) throws -> ByteBuffer {
        var buffer = reused
        buffer.clear(minimumCapacity: length)
        var failure: CInt = 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { pointer in
            while true {
                let count = pread(descriptor, pointer.baseAddress, length, off_t(offset))
                if count >= 0 { return count }
                if errno != EINTR {
                    failure = errno
                    return 0
                }
            }
        }
        guard failure == 0 else {
            throw AttacheError(.storageUnavailable, "Cannot read stored content.", underlying: "pread: errno \(failure)")
        }
        return buffer
    }

    deinit {
        close(descriptor)
        budget.release()
    }
}

/// Hands a buffer to the thread that reads into it without keeping a second reference (which would
/// make the write copy it).
private final class ChunkSlot: @unchecked Sendable {
    private var buffer: ByteBuffer?

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    /// The buffer, once; the slot is used by one thread at a time (the reading task awaits the read).
    func take() -> ByteBuffer {
        buffer.take() ?? ByteBuffer()
    }
}
