// swift-tools-version:6.2
import PackageDescription

/// The ceiling of a download for bench/run.sh: a minimal SwiftNIO HTTP/1.1 server that sends one file
/// either as a `FileRegion` (sendfile(2), the kernel copies) or as 64 KiB `ByteBuffer` reads (what a
/// Hummingbird response body writer takes), beside nginx and Attache in the same run.
let package = Package(
    name: "DownloadCeiling",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")
    ],
    targets: [
        .executableTarget(
            name: "DownloadCeiling",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        )
    ]
)
