/// The lifecycle columns of one `blobs` row.
struct BlobRow: Sendable, Equatable {
    enum State: String, Sendable {
        case pending, stored, deleting
    }

    var generation: Int64
    var state: State
    var releasedAt: Int64?
    var markedAt: Int64?

    /// A fresh generation: random, so a row created again never repeats an earlier one.
    static func newGeneration() -> Int64 {
        Int64.random(in: 1...Int64.max)
    }
}
