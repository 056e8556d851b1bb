import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

extension NativeController {
    /// `GET /v1/events?after=&types=&limit=&wait=`: the tenant's change events after `after`, in the
    /// order their changes committed; with `wait`, held open up to that many seconds for a first one.
    @Sendable func listChangeEvents(_ request: Request, context: AuthenticatedRequestContext) async throws -> NativeChangeEventPage {
        let parameters = request.uri.queryParameters
        var feed = ChangeFeedRequest()
        if let text = parameters["after"] {
            guard let after = Int64(text) else {
                throw AttacheError(.invalidInput, "after must be the number of an event (next of the previous read), or 0.", field: "after")
            }
            feed.after = after
        }
        if let text = parameters["types"] {
            var types = Set<ChangeEventType>()
            for name in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let type = ChangeEventType(rawValue: String(name)) else {
                    throw AttacheError(
                        .invalidInput, "types must be a comma-separated list of " + ChangeEventType.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                        field: "types"
                    )
                }
                types.insert(type)
            }
            feed.types = types
        }
        if let limit = try limitParameter(request) { feed.limit = limit }
        if let text = parameters["wait"] {
            guard let seconds = Int(text), (0...Int(ChangeFeedRequest.longestWait.components.seconds)).contains(seconds) else {
                throw AttacheError(
                    .invalidInput, "wait must be a whole number of seconds from 0 to \(ChangeFeedRequest.longestWait.components.seconds).", field: "wait"
                )
            }
            feed.wait = .seconds(seconds)
        }
        let page = try await service.changeEvents(context.principal, feed)
        return NativeChangeEventPage(items: page.events.map(ChangeEventPayload.init), next: page.next)
    }
}
