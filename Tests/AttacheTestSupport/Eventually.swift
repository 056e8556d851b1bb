/// Waits for a condition instead of sleeping a fixed time: asks `condition` every 20 ms until it holds
/// or `limit` has passed. - Returns: whether it held.
package func eventually(within limit: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while true {
        if try await condition() { return true }
        guard ContinuousClock.now < deadline else { return false }
        try await Task.sleep(for: .milliseconds(20))
    }
}
