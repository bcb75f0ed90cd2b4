// swift-tools-version:6.1
// mfd — a matrix-factorization recommender daemon. See README.md.
import PackageDescription

let package = Package(
    name: "mfd",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MFCore", targets: ["MFCore"]),
        .library(name: "MFClient", targets: ["MFClient"]),
        .executable(name: "mfd", targets: ["mfd"]),
        .executable(name: "mfctl", targets: ["mfctl"]),
        .executable(name: "mfbench", targets: ["mfbench"]),
        .executable(name: "mfreliability", targets: ["mfreliability"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // `metrics`: request counters and latency timers through the swift-metrics
        // API, exported in Prometheus text format by swift-prometheus.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure math: no I/O, no dependencies. Optimized in debug builds too: unoptimized,
        // the demo's startup fit (k 8, 3 sweeps) takes 3.4 s instead of 0.1 s, and
        // the test suite starts some 30 daemons, most on the demo (docs/architecture.md, "Builds").
        .target(name: "MFCore", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // SQLite persistence through GRDB over the system libsqlite3.
        .target(name: "MFStore", dependencies: [
            "MFCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            // Raw sqlite3_* calls on GRDB statements for the bulk-import and snapshot hot loops.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // Wire types and line framing shared by daemon and client (MFCore: AttributeValue).
        .target(name: "MFProtocol", dependencies: ["MFCore"]),
        // The synthetic catalogue of `mfd --demo`: a pure, seeded data generator.
        .target(name: "MFDemo", dependencies: ["MFCore"]),
        // Engine + socket server + systemd helpers.
        .target(name: "MFServer", dependencies: [
            "MFCore", "MFDemo", "MFStore", "MFProtocol",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        // Async typed client over the protocol.
        .target(name: "MFClient", dependencies: [
            "MFCore", "MFProtocol",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"),
        ]),
        // mfd's testable logic: its options, their environment variables and defaults.
        .target(name: "MFDKit", dependencies: [
            "MFServer", "MFStore", "MFProtocol",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .executableTarget(name: "mfd", dependencies: [
            "MFDKit", "MFServer", "MFStore", "MFProtocol",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            // SIGHUP (HangupService), besides the SIGTERM/SIGINT that ServiceGroup traps.
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        // mfctl's testable logic: argument checks, tables, PCA, SVG plots.
        .target(name: "MFCtlKit", dependencies: ["MFCore", "MFProtocol"]),
        .executableTarget(name: "mfctl", dependencies: [
            "MFClient", "MFProtocol", "MFCtlKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The line-protocol client of mfbench, the reliability harness and the tests:
        // one socket and framing layer for blocking, pipelined and open-loop use.
        .target(name: "MFLineClient", dependencies: ["MFProtocol"]),
        .executableTarget(name: "mfbench", dependencies: [
            "MFCore", "MFStore", "MFProtocol", "MFLineClient",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Crash, fuzz, load and access harnesses (not installed; scripts/*-test.sh, ReliabilityTests).
        .executableTarget(name: "mfreliability", dependencies: [
            "MFCore", "MFLineClient", "MFStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // What the tests share: the products under test, ../shared, one way to start a process.
        .target(name: "MFTestSupport", dependencies: ["MFLineClient"]),
        .testTarget(name: "MFCoreTests", dependencies: ["MFCore", "MFTestSupport"]),
        .testTarget(name: "MFStoreTests", dependencies: [
            "MFStore", "MFCore", "MFTestSupport", .product(name: "GRDB", package: "GRDB.swift"), "mfreliability",
        ]),
        .testTarget(name: "MFProtocolTests", dependencies: ["MFProtocol", "MFCore"]),
        .testTarget(name: "MFLineClientTests", dependencies: ["MFLineClient"]),
        .testTarget(name: "MFServerTests", dependencies: [
            "MFServer", "MFProtocol", "MFCore", "MFStore", "MFLineClient", "MFTestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOExtras", package: "swift-nio-extras"),
            .product(name: "Logging", package: "swift-log"),
            "mfd", "mfctl",
        ]),
        .testTarget(name: "MFDemoTests", dependencies: ["MFDemo", "MFCore"]),
        .testTarget(name: "MFDKitTests", dependencies: [
            "MFDKit", "MFServer", .product(name: "NIOCore", package: "swift-nio"),
        ]),
        .testTarget(name: "MFClientTests", dependencies: ["MFClient", "MFProtocol", "MFLineClient", "MFTestSupport"]),
        .testTarget(name: "MFCtlTests", dependencies: ["MFCtlKit", "MFProtocol"]),
        // Drives the real mfd, mfctl, mfbench and mfreliability binaries (of the configuration under test).
        .testTarget(name: "IntegrationTests", dependencies: [
            "MFProtocol", "MFLineClient", "MFTestSupport", "mfd", "mfctl", "mfbench", "mfreliability",
        ]),
    ]
)
