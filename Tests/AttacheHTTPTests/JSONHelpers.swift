import Foundation

/// Reading nested JSON in tests.
extension TestResponse {
    func jsonArray() throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: Any]] else {
            throw TestFailure("not a JSON array: \(text)")
        }
        return array
    }

    /// The body parsed as any JSON value (numbers, strings, …).
    func jsonValue() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }
}

extension Dictionary where Key == String, Value == Any {
    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    func array(_ key: String) -> [[String: Any]]? { self[key] as? [[String: Any]] }
    var sortedKeys: [String] { keys.sorted() }
}
