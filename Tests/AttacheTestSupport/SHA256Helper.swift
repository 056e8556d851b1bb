import Crypto

package enum SHA256Helper {
    package static func digest(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }
}

extension SHA256Helper {
    /// The digest in lower-case hex.
    package static func hex(_ bytes: [UInt8]) -> String {
        digest(bytes).map { String(format: "%02x", $0) }.joined()
    }
}
