import Foundation

/// Rows printed as aligned columns under a header, as `ps` or `kubectl get` print them: what an
/// operator reads. The last column is never padded.
struct TextTable {
    let header: [String]
    private(set) var rows: [[String]] = []

    init(_ header: String...) {
        self.header = header
    }

    mutating func append(_ row: String...) {
        rows.append(row)
    }

    /// The table's lines, header first; a table without rows says so under its header.
    var lines: [String] {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        var lines = all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        if rows.isEmpty { lines.append("(none)") }
        return lines
    }

    func print() {
        for line in lines { Swift.print(line) }
    }

    /// A moment as an operator reads it: `2026-12-04 17:36 UTC`.
    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: date)
    }
}
