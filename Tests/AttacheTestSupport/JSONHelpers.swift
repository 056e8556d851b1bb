import Foundation

/// Reading nested JSON in tests.
extension TestResponse {
    package func jsonArray() throws -> [[String: Any]] {
        guard let array = try JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: Any]] else {
            throw TestFailure("not a JSON array: \(text)")
        }
        return array
    }

    /// The body parsed as any JSON value (numbers, strings, …).
    package func jsonValue() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }
}

extension Dictionary where Key == String, Value == Any {
    package func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
    package func array(_ key: String) -> [[String: Any]]? { self[key] as? [[String: Any]] }
    package var sortedKeys: [String] { keys.sorted() }
}
