import AttacheCore
import Foundation

/// The native API's OpenAPI document, built into the binary: served at `/openapi.json`, and the source
/// of what each operation's query may hold (so the server refuses what it does not document).
enum OpenAPIDocument {
    /// The document's bytes. - Throws: `internal` when the build lacks it.
    static func data() throws -> Data {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources") else {
            throw AttacheError(.internal, "The OpenAPI document is missing from this build.")
        }
        return try Data(contentsOf: url)
    }

    /// The query parameters of every operation, by `METHOD /path/{pattern}`.
    static func queryParameters() throws -> [String: Set<String>] {
        guard let document = try JSONSerialization.jsonObject(with: data()) as? [String: Any],
            let paths = document["paths"] as? [String: [String: Any]]
        else { throw AttacheError(.internal, "The OpenAPI document has no paths.") }
        var table: [String: Set<String>] = [:]
        for (path, item) in paths {
            let shared = item["parameters"] as? [[String: Any]] ?? []
            for (method, operation) in item {
                guard let operation = operation as? [String: Any] else { continue }
                let parameters = shared + (operation["parameters"] as? [[String: Any]] ?? [])
                let names = parameters.filter { $0["in"] as? String == "query" }.compactMap { $0["name"] as? String }
                table["\(method.uppercased()) \(path)"] = Set(names)
            }
        }
        return table
    }
}
