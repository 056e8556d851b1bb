import ArgumentParser
import Foundation

/// The audit trail's retention, shared by `serve` (its background collection) and `gc`.
struct AuditOptions: ParsableArguments {
    @Option(help: "Days audit events are kept before gc deletes them; 0 keeps them for ever (env ATTACHE_AUDIT_RETENTION_DAYS).")
    var auditRetentionDays: Int = Environment.integer("ATTACHE_AUDIT_RETENTION_DAYS", default: 365)

    /// The retention in seconds; `nil` to keep every event.
    var retention: TimeInterval? {
        auditRetentionDays > 0 ? TimeInterval(auditRetentionDays) * 86_400 : nil
    }
}
