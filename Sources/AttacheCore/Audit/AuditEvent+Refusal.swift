extension AuditEvent {
    /// What a `file.refuse` event says of the error that refused the upload: its code, then its
    /// message (`quota_exceeded: …`). The one place that format is written (and read: ``refusalCode``).
    public static func refusalDetail(of error: AttacheError) -> String {
        "\(error.code.name): \(error.message)"
    }

    /// The code of the error that refused a `file.refuse` event's upload; `nil` for other events.
    public var refusalCode: String? {
        guard action == .fileRefuse, let detail, let colon = detail.firstIndex(of: ":") else { return nil }
        return String(detail[..<colon])
    }
}
