import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A webhook receiver on loopback for the tests: a real HTTP server that keeps every request it gets
/// and answers each as the test says (by the message's `webhook-id` and how many times it came).
package final class WebhookReceiver: Sendable {
    /// One request as it arrived.
    package struct Request: Sendable {
        package var headers: [String: String]
        package var body: [UInt8]
        package var arrivedAt: ContinuousClock.Instant
        package var messageID: String { headers["webhook-id"] ?? "" }
    }

    /// How the receiver answers: the status for the `attempt`th request (1 for the first) of a message.
    package typealias Answer = @Sendable (_ messageID: String, _ attempt: Int) -> Int

    package let port: Int
    private let state: SharedState

    private init(port: Int, state: SharedState) {
        self.port = port
        self.state = state
    }

    package var url: String { "http://127.0.0.1:\(port)/hook" }

    package var requests: [Request] { state.received.withLock { $0 } }

    /// The most requests it was answering at once.
    package var mostAtOnce: Int { state.open.withLock { $0.most } }

    /// Runs a receiver for `body`; each answer waits `delay` first.
    package static func with<Result: Sendable>(
        delay: Duration = .zero, answer: @escaping Answer = { _, _ in 204 }, _ body: @Sendable (WebhookReceiver) async throws -> Result
    ) async throws -> Result {
        let shared = SharedState()
        let router = Router()
        router.post("hook") { request, _ -> Response in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let body = try await request.body.collect(upTo: 1 << 20)
            let arrived = Request(headers: headers, body: Array(buffer: body), arrivedAt: .now)
            let attempt = shared.received.withLock { list in
                list.append(arrived)
                return list.filter { $0.messageID == arrived.messageID }.count
            }
            shared.open.withLock { state in
                state.now += 1
                state.most = max(state.most, state.now)
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            shared.open.withLock { $0.now -= 1 }
            return Response(status: HTTPResponse.Status(code: answer(arrived.messageID, attempt)))
        }
        var logger = Logger(label: "webhook.receiver")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        // The senders' connections close with their servers, which the tests stop first.
        return try await ServiceGroup.serving(app, logger: logger, ports: ports, what: "the webhook receiver") { port in
            try await body(WebhookReceiver(port: port, state: shared))
        }
    }

    /// What the server's handler and the test share: the requests, and how many are open at once.
    private final class SharedState: Sendable {
        let received = Mutex<[Request]>([])
        let open = Mutex<(now: Int, most: Int)>((0, 0))
    }
}
