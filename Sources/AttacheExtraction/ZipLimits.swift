/// What reading a ZIP (an office document) may cost, checked as it is read, so a zip bomb fails its
/// job instead of filling memory or disk: the central directory's size and entries, each entry's
/// inflated bytes (declared, and as actually inflated), all entries' together, and the ratio of
/// inflated to compressed bytes.
public struct ZipLimits: Sendable, Hashable {
    public var maximumEntries: Int
    public var maximumDirectoryBytes: Int
    public var maximumEntryBytes: Int64
    public var maximumTotalBytes: Int64
    /// Inflated bytes per compressed byte, at most (XML compresses 10 to 30 times; a bomb thousands).
    public var maximumRatio: Int64

    public init(
        maximumEntries: Int = 10_000, maximumDirectoryBytes: Int = 8 << 20, maximumEntryBytes: Int64 = 128 << 20,
        maximumTotalBytes: Int64 = 256 << 20, maximumRatio: Int64 = 200
    ) {
        self.maximumEntries = maximumEntries
        self.maximumDirectoryBytes = maximumDirectoryBytes
        self.maximumEntryBytes = maximumEntryBytes
        self.maximumTotalBytes = maximumTotalBytes
        self.maximumRatio = maximumRatio
    }
}
