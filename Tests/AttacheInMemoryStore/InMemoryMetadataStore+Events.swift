package import AttacheCore
package import Foundation

/// ``EventStore``: the change events ``InMemoryTables/writeAuditEvents(_:)`` writes with the audit events.
extension InMemoryMetadataStore {
    package func changeEvents(tenantID: Int64, after: Int64, types: Set<ChangeEventType>?, limit: Int) -> ChangeFeedRead {
        let newest = tables.eventCounters[tenantID] ?? 0
        let feed = tables.changeEvents.filter { $0.tenantID == tenantID }
        let events = feed.filter { event in event.number > after && event.number <= newest && (types?.contains(event.type) ?? true) }
        return ChangeFeedRead(events: Array(events.prefix(max(limit, 0))), newest: newest, oldest: feed.first?.number ?? newest + 1)
    }

    package func deleteChangeEvents(before cutoff: Date, limit: Int) -> Int {
        InMemoryTables.removeOldest(&tables.changeEvents, before: cutoff, limit: limit, time: \.time)
    }
}
