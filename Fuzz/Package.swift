// swift-tools-version: 5.4
// The libFuzzer targets, in their own package so the root's build and tests never see the
// sanitizer flags. Tools 5.4 on purpose: later manifests rename an executable's `main`
// (for testable executables), which leaves libFuzzer's own `main` unresolvable.
// Build and run: Scripts/fuzz.sh TARGET SECONDS (it builds into Fuzz/.build with
// -sanitize=fuzzer,address -parse-as-library).
import PackageDescription

let package = Package(
    name: "teleport-top-fuzz",
    dependencies: [
        .package(name: "teleport-top", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "teleport-top-fuzz",
            dependencies: [.product(name: "TeleportTopFuzzing", package: "teleport-top")]
        )
    ]
)
