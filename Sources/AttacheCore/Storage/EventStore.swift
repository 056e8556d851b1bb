public import Foundation

/// A tenant's change feed (``ChangeEvent``). No method writes to it: a store writes the change events
/// of the audit events it writes (``ChangeEvent/of(_:)``), in the same transaction, numbering them
/// from a per-tenant counter that the transaction holds until it commits — so numbers are given in
/// commit order, with no gap. (A role of ``MetadataStore``.)
public protocol EventStore: Sendable {
    /// A tenant's events numbered above `after`, in order: up to `limit` of them, of `types` only when
    /// it is given, and none numbered above the feed's newest when the read began (``ChangeFeedRead``).
    func changeEvents(tenantID: Int64, after: Int64, types: Set<ChangeEventType>?, limit: Int) async throws -> ChangeFeedRead
    /// Deletes up to `limit` events (of every tenant) older than `cutoff`. - Returns: how many.
    func deleteChangeEvents(before cutoff: Date, limit: Int) async throws -> Int
}
