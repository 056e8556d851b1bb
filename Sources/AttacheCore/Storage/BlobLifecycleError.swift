/// Why a blob could not be claimed or committed right now; the service retries.
public enum BlobLifecycleError: Error, Sendable, Hashable {
    /// `gc` is removing this content; claim again once it is done.
    case deletionInProgress(BlobAddress)
    /// The blob changed generation since it was claimed (its content may be gone); claim and promote again.
    case claimLost(BlobAddress)
}
