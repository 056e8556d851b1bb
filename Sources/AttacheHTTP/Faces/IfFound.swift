import AttacheCore

/// Runs a lookup whose "not found" a face answers in its own words; any other failure (a storage
/// outage above all) propagates, so it surfaces as a 5xx in the face's shape instead of a 404.
package func ifFound<Value>(_ lookup: () async throws -> Value) async throws -> Value? {
    do {
        return try await lookup()
    } catch let error as AttacheError where error.code == .notFound {
        return nil
    }
}
