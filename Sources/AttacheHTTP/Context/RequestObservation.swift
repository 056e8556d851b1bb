/// What inner middleware learns about a request that the outer, observing middleware (access log,
/// metrics) reports: a request context is a value, so what is set deeper in the chain reaches the
/// outside only through this shared box. Set once per field on the request's own task.
package final class RequestObservation: @unchecked Sendable {
    /// The face whose routes matched (`native`, `bloxs`, …), or `nil` for the server's own routes.
    package var face: String?
    /// The authenticated tenant's slug.
    package var tenant: String?

    package init() {}
}
