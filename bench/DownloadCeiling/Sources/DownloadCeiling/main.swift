import NIOCore
import NIOHTTP1
import NIOPosix

/// Usage: DownloadCeiling PORT FILE — serves FILE on 127.0.0.1:PORT: `GET /region` sends it as a
/// `FileRegion` (sendfile), `GET /buffers` as 64 KiB `ByteBuffer` reads, each written when the one
/// before it has gone (the bounded memory of a streamed response).
let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]) else {
    print("usage: DownloadCeiling PORT FILE")
    exit(2)
}
let path = arguments[2]
let threadPool = NIOThreadPool(numberOfThreads: 2)
threadPool.start()
let fileIO = NonBlockingFileIO(threadPool: threadPool)

final class FileHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private var uri = ""

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): uri = head.uri
        case .body: break
        case .end: respond(context: context)
        }
    }

    private func respond(context: ChannelHandlerContext) {
        let loop = context.eventLoop
        let boundContext = NIOLoopBound(context, eventLoop: loop)
        let asRegion = uri == "/region"
        fileIO.openFile(_deprecatedPath: path, eventLoop: loop).whenComplete { result in
            let context = boundContext.value
            guard case .success(let (handle, region)) = result else {
                context.close(promise: nil)
                return
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: String(region.readableBytes))
            headers.add(name: "Content-Type", value: "application/pdf")
            context.write(self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
            let sent: EventLoopFuture<Void>
            if asRegion {
                sent = context.writeAndFlush(self.wrapOutboundOut(.body(.fileRegion(region))))
            } else {
                sent = fileIO.readChunked(
                    fileHandle: handle, byteCount: region.readableBytes, chunkSize: 64 * 1024, allocator: context.channel.allocator, eventLoop: loop
                ) { buffer in
                    boundContext.value.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(buffer))))
                }
            }
            sent.flatMap { boundContext.value.writeAndFlush(self.wrapOutboundOut(.end(nil))) }.whenComplete { _ in
                try? handle.close()
            }
        }
    }
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
let channel = try ServerBootstrap(group: group)
    .serverChannelOption(.backlog, value: 256)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .childChannelInitializer { channel in
        channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(FileHandler()) }
    }
    .bind(host: "127.0.0.1", port: port)
    .wait()
try channel.closeFuture.wait()
