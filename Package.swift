// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Tests import less precisely than sources; they keep strict concurrency and `any`.
let testSwiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// What every face target may use: the core, the shared HTTP layer and the framework, and nothing of
/// another face — so "no face uses another face" is checked by the compiler.
let faceDependencies: [Target.Dependency] = [
    "AttacheCore",
    "AttacheHTTP",
    "AttacheJSON",
    .product(name: "Hummingbird", package: "hummingbird"),
    .product(name: "HTTPTypes", package: "swift-http-types"),
    .product(name: "Logging", package: "swift-log"),
    .product(name: "NIOCore", package: "swift-nio"),
]

let package = Package(
    name: "attache",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "attache", targets: ["attache"]),
        .library(name: "AttacheCore", targets: ["AttacheCore"]),
        .library(name: "AttacheHTTP", targets: ["AttacheHTTP"]),
        .library(name: "AttacheApplication", targets: ["AttacheApplication"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-otel/swift-w3c-trace-context.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        // OTLP over HTTP only: the gRPC exporter's packages are not built.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        // The one JSON writer: every face's answers and the bodies of webhook deliveries.
        .target(name: "AttacheJSON", swiftSettings: swiftSettings),
        .target(
            name: "AttacheCore",
            dependencies: [
                "AttacheJSON",
                "CAttacheCRC",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            swiftSettings: swiftSettings
        ),
        // Programs started with posix_spawn (Foundation's Process crashes now and then on Linux).
        .target(name: "CAttacheSpawn"),
        // CRC-32 folded with carry-less multiplication, where the processor has it (CRC32.swift).
        .target(name: "CAttacheCRC"),
        // The system's zlib, for the deflated entries of office documents (DOCX, XLSX).
        .systemLibrary(name: "CAttacheZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // Derived work's tools: external programs run sandboxed on untrusted content.
        .target(
            name: "AttacheExtraction",
            dependencies: [
                "AttacheCore", "CAttacheSpawn", "CAttacheZlib",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheSQL",
            dependencies: [
                "AttacheCore",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheSQLite",
            dependencies: [
                "AttacheCore",
                "CAttacheSQLite",
                "AttacheSQL",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                // SQLite's C API (its module, VaporCSQLite, comes with this product).
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheClamAV",
            dependencies: [
                "AttacheCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttachePostgres",
            dependencies: [
                "AttacheCore",
                "AttacheSQL",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Webhook deliveries over HTTP, where the address policy allows (AttacheCore/Webhooks).
        .target(
            name: "AttacheWebhooks",
            dependencies: [
                "AttacheCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheS3",
            dependencies: [
                "AttacheCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheDiskStore",
            dependencies: [
                "AttacheCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheHTTP",
            dependencies: [
                "AttacheCore", "AttacheJSON",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "W3CTraceContext", package: "swift-w3c-trace-context"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheNative",
            dependencies: faceDependencies,
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheBloxs",
            dependencies: faceDependencies,
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheOnlyOffice",
            dependencies: faceDependencies,
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttachePropertyDeck",
            dependencies: faceDependencies,
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheHighLevel",
            dependencies: faceDependencies,
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheWeb",
            dependencies: faceDependencies + [.product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheShare",
            dependencies: faceDependencies + [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AttacheApplication",
            dependencies: [
                "AttacheCore", "AttacheHTTP", "AttacheNative", "AttacheBloxs", "AttacheOnlyOffice", "AttachePropertyDeck",
                "AttacheHighLevel", "AttacheWeb", "AttacheShare",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(name: "CAttacheMalloc"),
        .target(
            name: "CAttacheSQLite",
            // Built against sqlite-nio's SQLite (its C module comes with this product).
            dependencies: [.product(name: "SQLiteNIO", package: "sqlite-nio")]
        ),
        .executableTarget(
            name: "attache",
            dependencies: [
                "CAttacheMalloc", "AttacheJSON", "AttacheWebhooks",
                "AttacheCore",
                "AttacheSQL",
                "AttacheSQLite",
                "AttachePostgres",
                "AttacheDiskStore",
                "AttacheS3",
                "AttacheClamAV",
                "AttacheExtraction",
                "AttacheHTTP",
                "AttacheNative",
                "AttacheOnlyOffice",
                "AttacheApplication",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AttacheCoreTests",
            dependencies: ["AttacheCore", "AttacheTestSupport"],
            swiftSettings: testSwiftSettings
        ),
        // In-memory fakes of the metadata store's roles, which pass the same contract suites as the SQL
        // stores, for tests of the service's rules without a database.
        .target(
            name: "AttacheInMemoryStore",
            dependencies: ["AttacheCore"],
            path: "Tests/AttacheInMemoryStore",
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "AttacheStoreTests",
            dependencies: [
                "AttacheInMemoryStore", "AttacheCore", "AttacheSQL", "AttacheSQLite", "AttachePostgres", "AttacheDiskStore", "AttacheS3",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: testSwiftSettings
        ),
        // What the end-to-end test targets share: a real server (live or in router mode) over real
        // stores, and the requests each vendor's client makes.
        .target(
            name: "AttacheTestSupport",
            dependencies: [
                "AttacheCore", "AttacheSQL", "AttacheSQLite", "AttachePostgres", "AttacheDiskStore", "AttacheS3", "AttacheHTTP", "AttacheJSON", "AttacheWebhooks",
                "AttacheOnlyOffice", "AttacheApplication", "AttacheInMemoryStore", "AttacheExtraction", "CAttacheZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/AttacheTestSupport",
            swiftSettings: testSwiftSettings
        ),
        // Each face's wire shapes, in router mode (AttacheTestSupport's TestServer).
        .testTarget(
            name: "AttacheBloxsTests",
            dependencies: [
                "AttacheTestSupport", "AttacheCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "AttacheOnlyOfficeTests",
            dependencies: [
                "AttacheTestSupport", "AttacheCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "AttachePropertyDeckTests",
            dependencies: [
                "AttacheTestSupport", "AttacheCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "AttacheExtractionTests",
            dependencies: ["AttacheCore", "AttacheExtraction", "AttacheTestSupport"],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "AttacheHighLevelTests",
            dependencies: [
                "AttacheTestSupport", "AttacheCore",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: testSwiftSettings
        ),
        .testTarget(
            name: "AttacheHTTPTests",
            dependencies: [
                "AttacheTestSupport",
                "AttacheCore", "AttacheSQL", "AttacheSQLite", "AttachePostgres", "AttacheDiskStore", "AttacheS3", "AttacheHTTP",
                "AttacheOnlyOffice", "AttacheNative", "AttacheApplication", "AttacheClamAV", "AttacheExtraction",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: testSwiftSettings
        ),
    ]
)
