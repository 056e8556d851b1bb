/// Byte counts as people write them: `200MB`, `1.5 GiB`, `52428800`. Decimal units (kB, MB, GB, TB)
/// are powers of 1000, binary ones (KiB, MiB, GiB, TiB) powers of 1024, as in IEC 80000-13; a bare
/// number is bytes. A count is written back in the unit it was most likely configured in, so a limit
/// set as `200MB` reads "200 MB" and the default 52,428,800 reads "50 MiB".
public enum ByteCountText {
    private static let units: [(name: String, factor: Int64)] = [
        ("tib", 1 << 40), ("gib", 1 << 30), ("mib", 1 << 20), ("kib", 1 << 10),
        ("tb", 1_000_000_000_000), ("gb", 1_000_000_000), ("mb", 1_000_000), ("kb", 1_000),
        ("t", 1 << 40), ("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10), ("b", 1), ("", 1),
    ]

    /// The number of bytes `text` says, or `nil` when it is not a byte count.
    public static func parse(_ text: String) -> Int64? {
        let compact = text.filter { !$0.isWhitespace && $0 != "_" }.lowercased()
        guard let unit = units.first(where: { compact.hasSuffix($0.name) }) else { return nil }
        let number = compact.dropLast(unit.name.count)
        if let whole = Int64(number), whole >= 0 {
            let (product, overflow) = whole.multipliedReportingOverflow(by: unit.factor)
            return overflow ? nil : product
        }
        guard let fraction = Double(number), fraction >= 0, fraction.isFinite, !number.contains("e") else { return nil }
        let bytes = (fraction * Double(unit.factor)).rounded()
        return bytes < 9.2e18 ? Int64(bytes) : nil
    }

    /// `count` for people: exact in a binary or decimal unit when it is a whole number of one
    /// (`50 MiB`, `200 MB`), else in the largest binary unit it reaches, to one decimal (`1.5 GiB`).
    public static func describe(_ count: Int64) -> String {
        let exact: [(String, Int64)] = [
            ("TiB", 1 << 40), ("TB", 1_000_000_000_000), ("GiB", 1 << 30), ("GB", 1_000_000_000),
            ("MiB", 1 << 20), ("MB", 1_000_000), ("KiB", 1 << 10), ("kB", 1_000),
        ]
        if count > 0, let (name, factor) = exact.first(where: { count >= $0.1 && count % $0.1 == 0 }) {
            return "\(count / factor) \(name)"
        }
        let approximate: [(String, Int64)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        guard let (name, factor) = approximate.first(where: { count >= $0.1 }) else {
            return count == 1 ? "1 byte" : "\(count) bytes"
        }
        // Whole units and the rest apart: `count * 10` overflows past Int64.max / 10 (a declared
        // Upload-Length of 2.4e18 crashed the server here; the fuzz found it).
        let tenths = (count / factor) * 10 + ((count % factor) * 10 + factor / 2) / factor
        return "\(tenths / 10).\(tenths % 10) \(name)"
    }
}
