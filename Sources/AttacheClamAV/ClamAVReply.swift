import AttacheCore

/// `clamd`'s answer to `zINSTREAM`: `stream: OK`, `stream: <signature> FOUND` or `<message> ERROR`.
enum ClamAVReply {
    static func verdict(of reply: String) throws(ClamAVError) -> ScanVerdict {
        if reply.hasSuffix(" ERROR") {
            throw .scannerError(reply)
        }
        guard reply.hasPrefix("stream: ") else {
            throw .unexpectedReply(reply)
        }
        let result = reply.dropFirst("stream: ".count)
        if result == "OK" {
            return .clean
        }
        if result.hasSuffix(" FOUND") {
            let signature = result.dropLast(" FOUND".count)
            if !signature.isEmpty {
                return .infected(signature: String(signature))
            }
        }
        throw .unexpectedReply(reply)
    }
}
