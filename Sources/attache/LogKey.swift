import Logging

/// The names log lines give metadata, one for each thing whatever the format: Hummingbird's request
/// id (`hb.request.id`) is `request_id`, as in the access log and the `X-Request-Id` header's docs.
enum LogKey {
    static func canonical(_ key: String) -> String {
        key == "hb.request.id" ? "request_id" : key
    }

    static func canonical(_ metadata: Logger.Metadata) -> Logger.Metadata {
        guard metadata.keys.contains(where: { canonical($0) != $0 }) else { return metadata }
        return Dictionary(metadata.map { (canonical($0.key), $0.value) }) { _, last in last }
    }
}
