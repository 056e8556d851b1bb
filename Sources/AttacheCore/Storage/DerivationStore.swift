public import Foundation

/// The jobs of derived work (``DerivationKind``) and what they made, so any node can do any job.
/// (A role of ``MetadataStore``.)
///
/// Jobs are made in the transaction that stores new content (``CatalogueStore/insertFiles``), one per
/// content and kind, so a crash cannot lose one. A job is claimed with a lease; a job whose lease ended
/// (its node died) is claimed again. A job ends once: only the holder of its current lease can finish
/// it, and a finished job is never claimed again. Jobs, derived text and preview images go with their content
/// (``BlobLedger/finishBlobDeletion(_:)``); a preview image's own content is referenced while a row
/// names it, so `gc` removes it only once the content it shows is gone.
public protocol DerivationStore: Sendable {
    /// Claims the oldest job that is due (queued and past its retry time, or running with its lease
    /// ended) for `holder` until `leaseEnd`, counting an attempt; `nil` when none is due.
    func claimDerivationJob(holder: String, now: Date, leaseEnd: Date) async throws -> DerivationJob?

    /// Records what a job made and ends the job, in one transaction: text goes into the search entries
    /// of every attachment of the content; preview images replace the content's earlier ones.
    /// `false` (and nothing written) when `holder` no longer holds the job.
    /// - Throws: ``BlobLifecycleError/deletionInProgress(_:)`` when `gc` is removing the content at a
    ///   preview image's address (the job is tried again once it has).
    func completeDerivationJob(_ job: DerivationJob, holder: String, result: DerivationResult, now: Date) async throws -> Bool

    /// Ends a job's attempt that failed: queued again for `retryAt`, or failed for good when `nil`.
    /// `false` (and nothing written) when `holder` no longer holds the job.
    func failDerivationJob(_ job: DerivationJob, holder: String, reason: String, retryAt: Date?, now: Date) async throws -> Bool

    /// Jobs by state (`queued`, `running`, `done`, `failed`), for metrics and `attache index status`.
    func countDerivationJobs() async throws -> [String: Int]

    /// Queues the work again for the next `limit` contents of a rebuild — of one tenant, or every
    /// tenant when `tenantID` is `nil` — making jobs that are missing and putting finished ones back in
    /// the queue. The store keeps where the rebuild of that scope stands and moves it in the same
    /// transaction, so a rebuild that stops resumes where it stopped; `restart` begins it again from
    /// the first content. Returns how many contents were queued; 0 when the rebuild is complete.
    func requeueDerivations(tenantID: Int64?, restart: Bool, limit: Int, now: Date) async throws -> Int

    /// The derived text of a tenant's content, when there is any.
    func derivedText(of address: BlobAddress) async throws -> DerivedText?

    /// The preview image of a tenant's content in `size`, when one was made.
    func previewImage(of address: BlobAddress, size: PreviewSize) async throws -> PreviewImage?

    /// Where the job of `kind` for a tenant's content stands; `nil` when there is none.
    func derivationState(of address: BlobAddress, kind: DerivationKind) async throws -> DerivationState?

    /// Queues the job of `kind` for a tenant's content of `mimeType`: made when missing, put back in the
    /// queue when finished (its work was lost: a preview's image rows go with the queueing, so requests
    /// wait for the new images), left alone while running.
    func requeueDerivation(of address: BlobAddress, kind: DerivationKind, mimeType: String, now: Date) async throws
}
