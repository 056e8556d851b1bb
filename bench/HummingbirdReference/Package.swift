// swift-tools-version:6.2
import PackageDescription

/// The floor of the HTTP stack for bench/run.sh: a bare Hummingbird app, with no middleware, answering
/// `/healthz` with the same kind of small JSON body Attache's does. What Attache's own request path
/// costs is the distance between the two.
let package = Package(
    name: "HummingbirdReference",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1")
    ],
    targets: [
        .executableTarget(
            name: "HummingbirdReference",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]
        )
    ]
)
