/// Where `clamd` listens: `unix:/run/clamav/clamd.ctl` or `tcp://127.0.0.1:3310`.
public enum ClamAVAddress: Sendable, Hashable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)

    /// Parses `unix:PATH` or `tcp://HOST:PORT`; `nil` for anything else.
    public init?(_ text: String) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty else { return nil }
            self = .unix(path: path)
        } else if text.hasPrefix("tcp://") {
            let rest = text.dropFirst("tcp://".count)
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(port) else {
                return nil
            }
            var host = rest[..<colon]
            if host.first == "[", host.last == "]" { host = host.dropFirst().dropLast() }
            guard !host.isEmpty else { return nil }
            self = .tcp(host: String(host), port: port)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): "tcp://\(host):\(port)"
        }
    }
}
