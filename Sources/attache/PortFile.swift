import Foundation
import Logging

/// `serve --port-file`: the port the server listens on, written once it listens, so a process that
/// started it with `--port 0` reads a whole number or nothing (the file is renamed into place).
enum PortFile {
    static func write(_ port: Int, to path: String, logger: Logger) {
        let partial = path + ".partial"
        do {
            try Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: partial))
            guard rename(partial, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            logger.error("could not write the port file", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
