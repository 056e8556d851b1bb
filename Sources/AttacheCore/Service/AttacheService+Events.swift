import Foundation

extension AttacheService {
    /// How often a read that waits for events looks at the feed again (it may be written on another node).
    static let changeFeedPollInterval: Duration = .milliseconds(250)

    /// The caller's tenant's change events after `request.after`, waiting up to `request.wait` for a
    /// first one.
    /// - Throws: `invalidInput` for a limit out of range, a negative `after`, or one past the feed's
    ///   newest event (a cursor of another tenant's feed, or of a database since restored);
    ///   `cursorExpired` when events after `request.after` were deleted with the audit trail's retention.
    public func changeEvents(_ principal: Principal, _ request: ChangeFeedRequest) async throws -> ChangeFeedPage {
        try principal.require(.read)
        guard (1...ChangeFeedRequest.maximumLimit).contains(request.limit) else {
            throw AttacheError(.invalidInput, "limit must be between 1 and \(ChangeFeedRequest.maximumLimit).", field: "limit")
        }
        guard request.after >= 0 else {
            throw AttacheError(.invalidInput, "after must be the number of an event, or 0 for the start of the feed.", field: "after")
        }
        let tenantID = principal.tenant.id
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: min(max(request.wait, .zero), ChangeFeedRequest.longestWait))
        while true {
            let read = try await metadata.changeEvents(tenantID: tenantID, after: request.after, types: request.types, limit: request.limit)
            guard request.after <= read.newest else {
                throw AttacheError(
                    .invalidInput, "after (\(request.after)) is past this feed's newest event (\(read.newest)).", field: "after"
                )
            }
            if request.after + 1 < read.oldest {
                throw AttacheError(
                    .cursorExpired,
                    "Events after \(request.after) were deleted with the audit trail's retention; this feed now begins at event \(read.oldest). Read again with after=\(read.oldest - 1)."
                )
            }
            let reachedNewest = read.events.count < request.limit
            let next = reachedNewest ? read.newest : read.events.last?.number ?? request.after
            if !read.events.isEmpty || clock.now >= deadline {
                return ChangeFeedPage(events: read.events, next: next)
            }
            try await Task.sleep(for: min(Self.changeFeedPollInterval, deadline - clock.now))
        }
    }
}
