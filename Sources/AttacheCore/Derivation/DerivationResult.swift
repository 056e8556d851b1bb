/// What a job made, for the metadata store to record as it ends the job.
public enum DerivationResult: Sendable, Hashable {
    /// The content's text (a ``DerivationKind/text`` job).
    case text(DerivedText)
    /// The content's preview images, one per ``PreviewSize``, already stored (a
    /// ``DerivationKind/preview`` job).
    case previews([PreviewImage])
}
