import Foundation
import Logging
import Synchronization

/// Webhook deliveries, which any node makes: claimed from the metadata store with a lease, in each
/// endpoint's pace (``WebhookStore``), signed as Standard Webhooks says, sent by the transport,
/// and recorded with what came of them.
extension AttacheService {
    /// Claims and sends due deliveries until the task is cancelled, with at most
    /// `settings.nodeConcurrency` attempts of this node unfinished. Store failures are logged and tried
    /// again at the next turn.
    public func deliverWebhooksContinuously(_ settings: WebhookSettings, transport: any WebhookTransport) async {
        let running = RunningAttempts()
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                var claimed: [ClaimedWebhookDelivery] = []
                let room = settings.nodeConcurrency - running.count
                if room > 0 {
                    do {
                        claimed = try await metadata.claimWebhookDeliveries(
                            holder: settings.holder, now: Date(), limit: room, pace: settings.pace, lease: settings.lease
                        )
                    } catch {
                        logger.warning("webhook deliveries could not be claimed", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
                for claim in claimed {
                    running.add(1)
                    group.addTask {
                        await attemptWebhook(claim, settings: settings, transport: transport)
                        running.add(-1)
                    }
                }
                if claimed.isEmpty {
                    do {
                        try await Task.sleep(for: settings.pollInterval)
                    } catch {
                        return
                    }
                }
            }
        }
    }

    /// One attempt of a claimed delivery, from waiting for its start to recording its outcome.
    func attemptWebhook(_ claim: ClaimedWebhookDelivery, settings: WebhookSettings, transport: any WebhookTransport) async {
        let wait = claim.startAt.timeIntervalSinceNow
        if wait > 0 {
            do {
                try await Task.sleep(for: .milliseconds(Int64(wait * 1000)))
            } catch {
                return  // the server is stopping: the lease ends and another attempt follows
            }
        }
        let started = ContinuousClock.now
        let result: WebhookAttemptResult
        do {
            result = await transport.send(try Self.webhookRequest(claim, at: Date()), timeout: settings.attemptTimeout)
        } catch {
            result = .failed(reason: error.message)
        }
        let outcome = Self.outcome(of: result, attempt: claim.attempt, schedule: settings.schedule, now: Date(), draw: Double.random(in: 0..<1))
        metrics.webhookAttempt(outcome: outcome.name, duration: ContinuousClock.now - started)
        if case .delivered = outcome {} else {
            logger.info(
                "webhook attempt failed",
                metadata: [
                    "delivery": "\(claim.id.lowercasedText)", "endpoint": "\(claim.endpointID.lowercasedText)", "attempt": "\(claim.attempt)",
                    "outcome": "\(outcome.name)", "result": "\(result)",
                ]
            )
        }
        do {
            // Recorded even when the server is stopping (the loop's cancellation does not reach it):
            // an attempt that was made and not recorded would be made again.
            let metadata = metadata
            let recording = Task { try await metadata.finishWebhookDelivery(claim.id, holder: settings.holder, outcome: outcome, now: Date()) }
            if try await !recording.value {
                logger.warning("a webhook attempt ended after its lease", metadata: ["delivery": "\(claim.id.lowercasedText)"])
            }
        } catch {
            // The lease ends and the delivery is due again: at least once, never lost.
            logger.warning("a webhook attempt could not be recorded", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// The request of one attempt: the delivery's body, signed for this moment with every secret the
    /// endpoint signs with (two while a rotated-out one still does).
    /// - Throws: `invalidInput` for a stored URL this server no longer takes.
    static func webhookRequest(_ claim: ClaimedWebhookDelivery, at time: Date) throws(AttacheError) -> WebhookRequest {
        let timestamp = Int64(time.timeIntervalSince1970.rounded(.down))
        let signatures = claim.secrets.map { $0.signature(messageID: claim.messageID, timestamp: timestamp, body: claim.body) }
        return WebhookRequest(
            url: try WebhookURL(claim.url),
            headers: [
                ("content-type", "application/json"), ("user-agent", "Attache-Webhooks/\(AttacheVersion.current)"),
                ("webhook-id", claim.messageID), ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", signatures.joined(separator: " ")),
            ],
            body: claim.body
        )
    }

    /// What an attempt's result means for its delivery: 2xx delivers it, 410 ends it and disables the
    /// endpoint, anything else is tried again on the schedule while the schedule lasts.
    static func outcome(of result: WebhookAttemptResult, attempt: Int, schedule: WebhookRetrySchedule, now: Date, draw: Double) -> WebhookAttemptOutcome {
        let status: Int?
        let reason: String
        switch result {
        case .answered(let answered) where (200..<300).contains(answered):
            return .delivered(status: answered)
        case .answered(410):
            return .gone
        case .answered(let answered):
            (status, reason) = (answered, "the receiver answered \(answered)")
        case .failed(let failure):
            (status, reason) = (nil, failure)
        }
        guard let wait = schedule.wait(after: attempt, draw: draw) else { return .failed(status: status, reason: reason) }
        return .retry(at: now.addingTimeInterval(wait.timeInterval), status: status, reason: reason)
    }
}

/// How many attempts this node has started and not finished.
private final class RunningAttempts: Sendable {
    private let value = Mutex(0)

    var count: Int { value.withLock { $0 } }

    func add(_ change: Int) { value.withLock { $0 += change } }
}

extension WebhookAttemptOutcome {
    /// The outcome's name in metrics and logs.
    var name: String {
        switch self {
        case .delivered: "delivered"
        case .retry: "retry"
        case .failed: "failed"
        case .gone: "gone"
        }
    }
}
