// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "teleport-top",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "teleport-top", targets: ["teleport-top"]),
        .library(name: "TeleportCore", targets: ["TeleportCore"]),
        .library(name: "TeleportOTLP", targets: ["TeleportOTLP"]),
        .library(name: "TeleportDiagnostics", targets: ["TeleportDiagnostics"]),
        .library(name: "TeleportTopData", targets: ["TeleportTopData"]),
        .library(name: "TeleportTopUI", targets: ["TeleportTopUI"]),
        .library(name: "TeleportTopRuntime", targets: ["TeleportTopRuntime"]),
        .library(name: "TeleportTopTestSupport", targets: ["TeleportTopTestSupport"]),
        .library(name: "OTLPProto", targets: ["OTLPProto"]),
        .library(name: "TeleportTopFuzzing", targets: ["TeleportTopFuzzing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0"),
    ],
    targets: [
        // The core: value types every layer shares (metric model, exposition parser and
        // writer, catalog, state values, snapshots, span model, profile reports, teleport.yaml,
        // sanitizing). Links no NIO, no HTTP, no gRPC.
        .target(
            name: "TeleportCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            exclude: ["Metrics/metric-catalog.tsv"]
        ),
        // OTLP's wire forms (protobuf, protojson) to and from the core's span model.
        .target(
            name: "TeleportOTLP",
            dependencies: ["TeleportCore", "OTLPProto", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // The diagnostics engine, server side only: registry, health state machine, diag
        // listener and debug socket, trace export, self profile, the simulation.
        .target(
            name: "TeleportDiagnostics",
            dependencies: [
                "TeleportCore",
                "TeleportOTLP",
                "OTLPProto",
                "CSampler",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "OTel", package: "swift-otel"),
            ]
        ),
        // The dashboard's data side: client and poller, metric and span stores, OTLP
        // receivers, trace-directory tail, profile capture and decoding.
        .target(
            name: "TeleportTopData",
            dependencies: [
                "TeleportCore",
                "TeleportOTLP",
                "OTLPProto",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2Posix", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                "CZlib",
            ]
        ),
        // zlib with a preset dictionary (a recording compresses each scrape against the one
        // before it; CompressNIO does not expose deflateSetDictionary).
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // protoc output for Protos/ (pprof's profile.proto, OTLP trace and collector),
        // committed; Scripts/generate-protos.sh regenerates it.
        .target(
            name: "OTLPProto",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // The UI: state, reducers per screen, pure views into a grid of cells, themes, keys.
        // Sees the core's value types only (Scripts/check-layers.sh keeps it so).
        .target(
            name: "TeleportTopUI",
            dependencies: ["TeleportCore", .product(name: "Yams", package: "Yams")]
        ),
        // The dashboard's runtime: the one event queue, the run loop over a terminal
        // protocol, and the effect runner that answers effects with events.
        .target(
            name: "TeleportTopRuntime",
            dependencies: ["TeleportCore", "TeleportTopUI", "TeleportTopData", .product(name: "Logging", package: "swift-log")]
        ),
        // Fixtures and generators for tests, benchmarks and the hidden synthetic-profile
        // command: a synthetic pprof profile, the seeded simulation the goldens use.
        .target(
            name: "TeleportTopTestSupport",
            dependencies: [
                "TeleportCore", "TeleportDiagnostics", "TeleportTopData", "OTLPProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Every reader of untrusted bytes with its invariants, one check per fuzz target:
        // the Fuzz/ package's libFuzzer binary and the corpus-replay unit tests share it.
        .target(
            name: "TeleportTopFuzzing",
            dependencies: ["TeleportCore", "TeleportOTLP", "TeleportTopData", "TeleportTopUI", "TeleportTopTestSupport"]
        ),
        // The SIGPROF sampler of the engine's own CPU profile (a signal handler has to be C).
        .target(name: "CSampler"),
        // ncursesw, wide-character build; used only by the executable's terminal layer.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        .executableTarget(
            name: "teleport-top",
            dependencies: [
                "TeleportCore",
                "TeleportDiagnostics",
                "TeleportTopData",
                "TeleportTopUI",
                "TeleportTopRuntime",
                "CNcursesw",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Every function's symbol in the dynamic table, so the engine's own CPU profiles
            // name them (dladdr reads only that table).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]
        ),
        // Generators for the measuring scripts (a synthetic pprof profile): they link the test
        // support, which the shipped binary does not.
        .executableTarget(
            name: "teleport-top-fixtures",
            dependencies: ["TeleportCore", "TeleportTopTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Test helpers every test target shares, never shipped: child processes, the Go
        // fixture, Prometheus, Python's OpenTelemetry peers, misbehaving servers, paths.
        .target(
            name: "TeleportTopTestPeers",
            dependencies: [
                "TeleportCore", "TeleportOTLP", "TeleportDiagnostics", "TeleportTopData", "TeleportTopTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            path: "Tests/Support"
        ),
        // One test target per library target, and one for the real peers and tmux runs.
        .testTarget(name: "TeleportCoreTests", dependencies: ["TeleportCore", "TeleportTopTestPeers"]),
        .testTarget(
            name: "TeleportOTLPTests",
            dependencies: ["TeleportCore", "TeleportOTLP", "OTLPProto", .product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        .testTarget(
            name: "TeleportDiagnosticsTests",
            dependencies: [
                "TeleportCore", "TeleportOTLP", "TeleportDiagnostics", "TeleportTopData", "TeleportTopTestSupport", "TeleportTopTestPeers",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            // The self-profile tests read their own symbols (dladdr reads the dynamic table).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic"])]
        ),
        .testTarget(
            name: "TeleportTopDataTests",
            dependencies: [
                "TeleportCore", "TeleportOTLP", "TeleportDiagnostics", "TeleportTopData", "TeleportTopTestSupport", "TeleportTopTestPeers",
                "TeleportTopFuzzing", "OTLPProto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "TeleportTopEndToEndTests",
            dependencies: [
                "TeleportCore", "TeleportOTLP", "TeleportDiagnostics", "TeleportTopData", "TeleportTopTestSupport", "TeleportTopTestPeers",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .testTarget(
            name: "TeleportTopUITests", dependencies: ["TeleportCore", "TeleportTopUI", "TeleportTopData", "TeleportTopTestSupport"], exclude: ["Goldens"]),
        .testTarget(
            name: "TeleportTopRuntimeTests",
            dependencies: ["TeleportCore", "TeleportTopUI", "TeleportTopData", "TeleportTopRuntime", "TeleportTopTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
