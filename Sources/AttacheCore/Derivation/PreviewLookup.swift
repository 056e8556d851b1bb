/// What an attachment's preview image is at the moment of a request.
public enum PreviewLookup: Sendable, Hashable {
    /// It is made: serve it.
    case ready(PreviewImage)
    /// It is being made (the job is `queued` or `running`): ask again shortly.
    case pending(DerivationState)
}
