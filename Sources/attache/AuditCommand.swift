import ArgumentParser
import AttacheCore
import AttacheHTTP
import AttacheJSON
import AttacheNative
import Foundation

/// `attache audit`: prints a tenant's audit events as JSON lines, oldest first, each as `GET /v1/audit`
/// lists it.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print a tenant's audit trail as JSON lines (oldest first)."
    )
    @OptionGroup var options: DataOptions
    @Option(help: "Tenant slug.") var tenant: String
    @Option(help: "Only events at or after this time: ISO 8601 (2026-12-01T09:00:00Z, 2026-12-01) or an age such as 30m, 24h, 7d.")
    var since: String?
    @Option(help: "Only this action (record.create, file.upload, file.download, sign_in, …).") var action: String?
    @Option(help: "Only events of this record (uuid).") var record: String?
    @Option(help: "Only events of this file (id).") var file: Int64?

    func run() async throws {
        let query = try makeQuery(now: Date())
        try await DataFolder(options, label: "attache.cli").withService { service in
            var cursor: String?
            repeat {
                let page = try await service.auditEvents(
                    tenantSlug: tenant, matching: query, page: PageRequest(limit: PageRequest.maximumLimit, cursor: cursor)
                )
                for event in page.items {
                    print(String(decoding: try JSONBodyEncoder().encode(NativeAuditEvent(event)), as: UTF8.self))
                }
                cursor = page.nextCursor
            } while cursor != nil
        }
    }

    private func makeQuery(now: Date) throws -> AuditQuery {
        var query = AuditQuery()
        if let since {
            guard let date = Self.parseSince(since, now: now) else {
                throw ValidationError("--since must be an ISO 8601 time or an age such as 30m, 24h or 7d.")
            }
            query.since = date
        }
        if let action {
            guard let value = AuditAction(rawValue: action) else {
                throw ValidationError("--action must be one of " + AuditAction.allCases.map(\.rawValue).joined(separator: ", ") + ".")
            }
            query.action = value
        }
        if let record {
            guard let uuid = UUID(text: record) else { throw ValidationError("--record must be a record's uuid.") }
            query.recordUUID = uuid
        }
        query.fileID = file
        return query
    }

    /// An ISO 8601 time, or an age before `now` in seconds, minutes, hours or days (`90s`, `30m`, `24h`, `7d`).
    static func parseSince(_ text: String, now: Date) -> Date? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()), count >= 0 {
            return now.addingTimeInterval(-count * unit)
        }
        return TimestampFormat.parseISO8601(text)
    }
}
