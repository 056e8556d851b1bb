import Foundation
import Hummingbird

/// A request's query items in order, percent-decoded, keeping repeated and bracketed keys
/// (`uuid[]=a&uuid[]=b`, `contact[uuid]=c`) that vendor list filters use.
package struct QueryItems {
    package let items: [(key: String, value: String)]
    /// Whether keys match whatever their case (ASP.NET's model binding).
    package let caseInsensitive: Bool

    package init(_ request: Request, caseInsensitive: Bool = false) {
        self.caseInsensitive = caseInsensitive
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
    package func all(_ key: String) -> [String] {
        items.filter { matches($0.key, key) }.map(\.value)
    }

    /// The first value of `key` (what ASP.NET binds to a single value).
    package func first(_ key: String) -> String? {
        items.first { matches($0.key, key) }?.value
    }

    /// The last value of `key` (what PHP keeps for a repeated key).
    package func last(_ key: String) -> String? {
        items.last { matches($0.key, key) }?.value
    }

    /// The keys, in order.
    package var keys: [String] { items.map(\.key) }

    private func matches(_ candidate: String, _ key: String) -> Bool {
        caseInsensitive ? candidate.caseInsensitiveCompare(key) == .orderedSame : candidate == key
    }
}
