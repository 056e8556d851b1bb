public import Foundation
import Logging
import NIOCore

/// Derived work: jobs made when content is stored (``DerivationStore``), worked by any node that runs
/// ``deriveContinuously(_:deriver:)``. A job copies its content to a scratch folder (streamed, in
/// bounded memory), lets the ``ContentDeriver`` work on it there, and records the outcome: the derived
/// text or preview images, a retry after a backoff, or a failure for good.
extension AttacheService {
    /// Works derived jobs until cancelled, `settings.workers` at a time.
    public func deriveContinuously(_ settings: DerivationSettings, deriver: any ContentDeriver) async {
        guard settings.workers > 0 else { return }
        await withDiscardingTaskGroup { group in
            group.addTask {
                // The queue's depth, for the metrics, every 15 s.
                while !Task.isCancelled {
                    do {
                        self.metrics.derivationQueue(try await self.metadata.countDerivationJobs())
                        try await Task.sleep(for: .seconds(15))
                    } catch is CancellationError {
                        return
                    } catch {
                        self.logger.warning("counting derived jobs failed", metadata: ["error": "\(String(reflecting: error))"])
                        do { try await Task.sleep(for: .seconds(15)) } catch { return }
                    }
                }
            }
            for worker in 0..<settings.workers {
                group.addTask {
                    // Workers start apart, so idle ones do not ask the store at the same moment.
                    do { try await Task.sleep(for: settings.idlePoll * Double(worker) / Double(settings.workers)) } catch { return }
                    while !Task.isCancelled {
                        let worked: Bool
                        do {
                            worked = try await self.runNextDerivationJob(settings, deriver: deriver) != nil
                        } catch is CancellationError {
                            return
                        } catch {
                            self.logger.error("derived work failed", metadata: ["error": "\(String(reflecting: error))"])
                            worked = false
                        }
                        if !worked {
                            do { try await Task.sleep(for: settings.idlePoll) } catch { return }
                        }
                    }
                }
            }
        }
    }

    /// Works due jobs here, `settings.workers` at a time, until none is due (jobs waiting for a retry
    /// stay queued), and counts how their attempts ended.
    public func workDerivationQueue(_ settings: DerivationSettings, deriver: any ContentDeriver) async throws -> DerivationTally {
        try await withThrowingTaskGroup(of: DerivationTally.self) { group in
            for _ in 0..<max(settings.workers, 1) {
                group.addTask {
                    var tally = DerivationTally()
                    while let end = try await self.runNextDerivationJob(settings, deriver: deriver) { tally.count(end) }
                    return tally
                }
            }
            return try await group.reduce(into: DerivationTally()) { $0.add($1) }
        }
    }

    /// Claims the next due job and works it, and says how the attempt ended; `nil` when none was due.
    @discardableResult
    public func runNextDerivationJob(_ settings: DerivationSettings, deriver: any ContentDeriver, now: Date = Date()) async throws -> DerivationEnd? {
        guard let job = try await metadata.claimDerivationJob(holder: nodeID, now: now, leaseEnd: now.addingTimeInterval(settings.lease)) else {
            return nil
        }
        let started = ContinuousClock.now
        var outcome: Result<DerivationResult, DerivationFailure>
        do {
            // A job claimed more often than it may be tried took its nodes down (or past their
            // leases) each time: it fails for good instead of taking the next one down too.
            guard job.attempt <= settings.backoff.maximumAttempts else {
                throw DerivationFailure.permanent("abandoned by its node on each of \(settings.backoff.maximumAttempts) tries")
            }
            outcome = .success(try await work(job, settings: settings, deriver: deriver))
        } catch let failure as DerivationFailure {
            outcome = .failure(failure)
        } catch is CancellationError {
            // Shutting down: the lease ends and another node (or this one, restarted) takes the job.
            throw CancellationError()
        } catch {
            outcome = .failure(.transient(String(describing: error)))
        }
        let duration = ContinuousClock.now - started
        let logMetadata: Logger.Metadata = ["job": "\(job.id)", "kind": "\(job.kind.rawValue)", "blob": "\(job.address)", "attempt": "\(job.attempt)"]
        var end: DerivationEnd?
        if case .success(let result) = outcome {
            do {
                end = try await metadata.completeDerivationJob(job, holder: nodeID, result: result, now: Date()) ? .done : .superseded
                logger.debug("derived work done", metadata: logMetadata)
            } catch let error as BlobLifecycleError {
                // gc is removing content at a preview image's address: made again once it is gone.
                outcome = .failure(.transient(String(describing: error)))
            }
        }
        if case .failure(let failure) = outcome {
            let retryAt = settings.backoff.retryTime(after: job.attempt, failure: failure, now: Date())
            let recorded = try await metadata.failDerivationJob(job, holder: nodeID, reason: failure.reason, retryAt: retryAt, now: Date())
            end = !recorded ? .superseded : retryAt == nil ? .failed : .retried
            logger.warning(
                retryAt == nil ? "derived work failed for good" : "derived work failed, to be tried again",
                metadata: logMetadata.merging(["reason": "\(failure.reason)"]) { $1 }
            )
        }
        let ended = end ?? .superseded
        metrics.derived(kind: job.kind.rawValue, outcome: ended.rawValue, duration: duration)
        return ended
    }

    /// The job's work: its content copied to a scratch folder of its own, handed to the deriver, and
    /// the folder removed whatever happens.
    private func work(_ job: DerivationJob, settings: DerivationSettings, deriver: any ContentDeriver) async throws -> DerivationResult {
        enum Source { case text(TextSource), preview(PreviewSource) }
        let known: Source? =
            switch job.kind {
            case .text: TextSource(mimeType: job.mimeType).map(Source.text)
            case .preview: PreviewSource(mimeType: job.mimeType).map(Source.preview)
            }
        guard let source = known else { throw DerivationFailure.permanent("no \(job.kind.rawValue) is derived from \(job.mimeType)") }
        let folder = settings.scratchFolder.appendingPathComponent("\(nodeID)-job-\(job.id)-\(job.attempt)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }  // allowed: scratch cleanup; the job's outcome is already decided
        let content = folder.appendingPathComponent("content")
        try await copyContent(job.address, to: content)
        switch source {
        case .text(let source):
            return .text(try await deriver.extractText(from: content, source: source))
        case .preview(let source):
            return .previews(try await makePreviews(of: content, source: source, tenantID: job.address.tenantID, in: folder, settings: settings, deriver: deriver))
        }
    }

    /// Streams the content at `address` into a new file at `file`, a chunk at a time.
    private func copyContent(_ address: BlobAddress, to file: URL) async throws {
        guard let reader = try await blobs.open(address, range: nil) else {
            throw DerivationFailure.permanent("the content is gone")
        }
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw DerivationFailure.transient("cannot create the scratch file \(file.path)")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }  // allowed: closing after the copy; a write error was thrown already
        try await reader.stream { chunk in
            try chunk.withUnsafeReadableBytes { try handle.write(contentsOf: $0) }
        }
    }

    /// Queues derived work again for every content (of one tenant), in batches that each commit,
    /// telling `progress` the contents queued so far after each. Interrupted and run again without
    /// `restart`, it goes on from the last batch that committed.
    public func requeueDerivations(
        tenantID: Int64?, restart: Bool, batchSize: Int = 500, progress: (Int) async throws -> Void = { _ in }
    ) async throws -> Int {
        var queued = 0
        var first = true
        while true {
            let batch = try await metadata.requeueDerivations(tenantID: tenantID, restart: restart && first, limit: batchSize, now: Date())
            first = false
            guard batch > 0 else { return queued }
            queued += batch
            try await progress(queued)
        }
    }
}
