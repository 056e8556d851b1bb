public import AttacheCore
public import NIOCore
import NIOPosix

/// Scans uploads with ClamAV's `clamd`, one connection per file (`zINSTREAM`).
///
/// `clamd` refuses a stream longer than its `StreamMaxLength` (25 MB by default): set it at least to the
/// largest file Attache accepts, or such uploads count as a scanner failure.
public struct ClamAVScanner: ContentScanner {
    public let address: ClamAVAddress
    /// The longest wait for `clamd` to connect, take a chunk or give its verdict.
    public let timeout: TimeAmount
    private let group: any EventLoopGroup

    public init(address: ClamAVAddress, timeout: TimeAmount = .seconds(30), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.address = address
        self.timeout = timeout
        self.group = group
    }

    /// - Parameter timeoutSeconds: the longest wait for `clamd`, in seconds.
    public init(address: ClamAVAddress, timeoutSeconds: Int) {
        self.init(address: address, timeout: .seconds(Int64(timeoutSeconds)))
    }

    public func startScan() async throws -> any ContentScan {
        let loop = group.next()
        let reply = loop.makePromise(of: String.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ClamAVReplyHandler(reply: reply))
                }
            }
        let channel: any Channel
        do {
            switch address {
            case .unix(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            case .tcp(let host, let port): channel = try await bootstrap.connect(host: host, port: port).get()
            }
        } catch {
            reply.fail(error)
            throw error
        }
        let scan = ClamAVScan(channel: channel, reply: reply.futureResult, timeout: timeout)
        do {
            try await scan.start()
        } catch {
            await scan.cancel()
            throw error
        }
        return scan
    }
}
