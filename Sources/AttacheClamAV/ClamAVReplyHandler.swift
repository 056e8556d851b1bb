import NIOCore

/// Collects `clamd`'s `\0`-terminated answer and completes `reply` with it; fails it if the connection
/// ends first or the answer grows past any answer `clamd` gives.
final class ClamAVReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    static let maximumReplyLength = 4096

    private let reply: EventLoopPromise<String>
    private var received = ByteBuffer()
    private var completed = false

    init(reply: EventLoopPromise<String>) {
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
        if let end = received.readableBytesView.firstIndex(of: 0) {
            succeed(with: received.readableBytesView[received.readerIndex..<end])
        } else if received.readableBytes > Self.maximumReplyLength {
            fail(ClamAVError.unexpectedReply(String(decoding: received.readableBytesView.prefix(200), as: UTF8.self)))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if received.readableBytes > 0 {
            succeed(with: received.readableBytesView[...])
        } else {
            fail(ClamAVError.noReply)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    private func succeed(with bytes: ByteBufferView.SubSequence) {
        guard !completed else { return }
        completed = true
        reply.succeed(String(decoding: bytes, as: UTF8.self))
    }

    private func fail(_ error: any Error) {
        guard !completed else { return }
        completed = true
        reply.fail(error)
    }
}
