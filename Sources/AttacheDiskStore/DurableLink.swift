import AttacheCore
import NIOFileSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hard link that survives a power loss once made: blocking POSIX calls, for one trip to the
/// blocking pool.
enum DurableLink {
    /// Hard-links `source` as `destination` and fsyncs its folder; first creates the folders between
    /// `root` and it, each made durable in its parent. A name that exists already holds the same
    /// content (content is named by its hash), so that is success.
    static func make(from source: FilePath, to destination: FilePath, under root: FilePath) throws {
        let folder = destination.removingLastComponent()
        var parent = root
        for component in folder.components.dropFirst(root.components.count) {
            let child = parent.appending(component)
            if mkdir(child.string, 0o755) == 0 {
                try synchronizeFolder(parent)
            } else if errno != EEXIST {
                throw failure("mkdir \(child): errno \(errno)")
            }
            parent = child
        }
        guard link(source.string, destination.string) == 0 else {
            let error = errno
            if error == EEXIST { return }
            throw failure("link \(source) → \(destination): errno \(error)")
        }
        try synchronizeFolder(folder)
    }

    private static func synchronizeFolder(_ folder: FilePath) throws {
        let descriptor = open(folder.string, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open \(folder): errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync \(folder): errno \(errno)") }
    }

    private static func failure(_ detail: String) -> AttacheError {
        AttacheError(.storageUnavailable, "Cannot store content.", underlying: detail)
    }
}
