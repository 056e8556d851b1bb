/// What a scanner says of one file.
public enum ScanVerdict: Sendable, Hashable {
    case clean
    /// The name of the signature that matched, as the scanner reports it (`Win.Test.EICAR_HDB-1`).
    case infected(signature: String)
}
