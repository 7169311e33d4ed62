// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "forumops",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "forum", targets: ["ForumCLI"]),
        .executable(name: "forum-bench", targets: ["ForumBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .target(name: "ForumDomain"),
        .target(name: "ForumFiles"),
        .target(
            name: "ForumCredentials",
            dependencies: ["ForumDomain", "ForumFiles", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "ForumAPI", dependencies: ["ForumDomain"]),
        .target(
            name: "ForumStore",
            dependencies: [
                "ForumDomain", "ForumFiles",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ForumWorkbook",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "ForumRoster",
            dependencies: ["ForumDomain", "ForumWorkbook", .product(name: "CSV", package: "CSV.swift")]
        ),
        .target(
            name: "ForumAgenda",
            dependencies: ["ForumDomain", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "ForumMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "ForumTickets", dependencies: ["ForumBadges", "ForumDomain", "ForumMail"]),
        .systemLibrary(name: "CQRencode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        .target(
            name: "ForumBadges",
            dependencies: ["CCairo", "CQRencode", "ForumCredentials", "ForumDomain"]
        ),
        .target(
            name: "ForumDesk",
            dependencies: [
                "ForumAPI", "ForumCredentials", "ForumDomain", "ForumFiles",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "ForumFeeds",
            dependencies: ["ForumDomain", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "ForumServer",
            dependencies: [
                "ForumAPI", "ForumBadges", "ForumCredentials", "ForumDomain", "ForumFeeds", "ForumRoster", "ForumStore", "ForumWorkbook",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("openapi.yaml"), .copy("Dashboard"), .copy("Attendee")]
        ),
        .executableTarget(
            name: "ForumCLI",
            dependencies: [
                "ForumAgenda", "ForumAPI", "ForumBadges", "ForumCredentials", "ForumDesk", "ForumDomain", "ForumFiles", "ForumStore", "ForumRoster",
                "ForumMail", "ForumServer", "ForumTickets", "ForumWorkbook",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .executableTarget(
            name: "ForumBench",
            dependencies: [
                "ForumAgenda", "ForumAPI", "ForumBadges", "ForumCredentials", "ForumDesk", "ForumDomain", "ForumServer", "ForumStore", "ForumRoster",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/ForumBench"
        ),
        // Fuzzing (`make fuzz`): the targets' code, and one small executable each, built with
        // libFuzzer under `-D FUZZING` and otherwise a replayer of input files.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .target(
            name: "ForumFuzzing",
            dependencies: [
                "CLibFuzzer", "ForumAgenda", "ForumAPI", "ForumCredentials", "ForumDomain", "ForumRoster", "ForumWorkbook",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Fuzz/ForumFuzzing"
        ),
        .executableTarget(name: "FuzzBadgeCode", dependencies: ["ForumFuzzing"], path: "Fuzz/FuzzBadgeCode"),
        .executableTarget(name: "FuzzRosterCSV", dependencies: ["ForumFuzzing"], path: "Fuzz/FuzzRosterCSV"),
        .executableTarget(name: "FuzzAgendaYAML", dependencies: ["ForumFuzzing"], path: "Fuzz/FuzzAgendaYAML"),
        .executableTarget(name: "FuzzScanRequest", dependencies: ["ForumFuzzing"], path: "Fuzz/FuzzScanRequest"),
        .executableTarget(name: "FuzzWorkbook", dependencies: ["ForumFuzzing"], path: "Fuzz/FuzzWorkbook"),
        .target(
            name: "ForumTestSupport",
            dependencies: ["ForumDomain", "ForumStore", "ForumWorkbook", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: "Tests/ForumTestSupport"
        ),
        .testTarget(name: "ForumDomainTests", dependencies: ["ForumDomain", "ForumTestSupport"]),
        .testTarget(
            name: "ForumCredentialsTests",
            dependencies: ["ForumCredentials", "ForumDomain", "ForumTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "ForumMailTests",
            dependencies: ["ForumMail", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(name: "ForumAgendaTests", dependencies: ["ForumAgenda", "ForumDomain", "ForumTestSupport"]),
        .testTarget(
            name: "ForumDeskTests",
            dependencies: [
                "ForumAPI", "ForumCredentials", "ForumDesk", "ForumDomain", "ForumServer", "ForumStore", "ForumTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ForumBadgesTests",
            dependencies: ["CCairo", "ForumBadges", "ForumCredentials", "ForumDomain", "ForumTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "ForumFeedsTests",
            dependencies: ["ForumAgenda", "ForumDomain", "ForumFeeds", "ForumTestSupport"],
            resources: [.copy("Standards")]
        ),
        .testTarget(
            name: "ForumCLITests",
            dependencies: ["ForumCredentials", "ForumDomain", "ForumRoster", "ForumTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "ForumStoreTests",
            dependencies: ["ForumDomain", "ForumStore", "ForumTestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "ForumFuzzingTests", dependencies: ["ForumFuzzing"], resources: [.copy("Corpus")]),
        .testTarget(
            name: "ForumRosterTests",
            dependencies: ["ForumDomain", "ForumRoster", "ForumStore", "ForumTestSupport", "ForumWorkbook"]
        ),
        .testTarget(
            name: "ForumServerTests",
            dependencies: [
                "ForumAPI", "ForumCredentials", "ForumDomain", "ForumServer", "ForumStore", "ForumTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
