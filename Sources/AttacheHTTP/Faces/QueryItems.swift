import Foundation
import Hummingbird

/// A request's query items in order, percent-decoded, keeping repeated and bracketed keys
/// (`uuid[]=a&uuid[]=b`, `contact[uuid]=c`) that vendor list filters use.
struct QueryItems {
    let items: [(key: String, value: String)]

    init(_ request: Request) {
        let query = request.uri.query ?? ""
        items = query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// Every value of `key`.
    func all(_ key: String) -> [String] {
        items.filter { $0.key == key }.map(\.value)
    }

    /// The last value of `key`.
    func last(_ key: String) -> String? {
        items.last { $0.key == key }?.value
    }
}
