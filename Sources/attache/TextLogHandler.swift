import Logging

/// swift-log's plain text lines for people at a terminal, with metadata keys named as in the JSON
/// lines (``LogKey``): the request id is `request_id` in both.
struct TextLogHandler: LogHandler {
    private var stream: StreamLogHandler

    init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = LogKey.canonical(newValue) }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: LogKey.canonical(key)] }
        set { stream[metadataKey: LogKey.canonical(key)] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.metadata = event.metadata.map(LogKey.canonical)
        stream.log(event: event)
    }
}
