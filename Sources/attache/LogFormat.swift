import ArgumentParser
import Foundation
import Logging

/// How `serve` writes its log lines to standard error.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    /// One JSON object per line, for log collectors.
    case json
    /// swift-log's plain text, for people at a terminal (metadata named as in the JSON lines).
    case text

    /// `ATTACHE_LOG_FORMAT`, else JSON unless standard error is a terminal.
    static func fromEnvironment() throws -> LogFormat {
        guard let name = Environment.string("ATTACHE_LOG_FORMAT"), !name.isEmpty else {
            return isatty(STDERR_FILENO) == 1 ? .text : .json
        }
        guard let format = LogFormat(rawValue: name.lowercased()) else {
            throw ValidationError("ATTACHE_LOG_FORMAT must be json or text.")
        }
        return format
    }

    func makeHandler(label: String) -> any LogHandler {
        switch self {
        case .json: JSONLogHandler(label: label)
        case .text: TextLogHandler(label: label)
        }
    }
}
