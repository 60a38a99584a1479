// swift-tools-version: 6.1
// Coverage-guided fuzzing of every CaseBridge reader and field parser (libFuzzer). Not part of the main build:
//   scripts/fuzz.sh SECONDS            (builds with --sanitize fuzzer --sanitize address, runs every target)
// README "Fuzzing" and ../shared/RELIABILITY.md §8.
import PackageDescription

let package = Package(
  name: "CaseBridgeFuzzing",
  platforms: [.macOS(.v15)],
  dependencies: [.package(name: "CaseBridge", path: "..")],
  targets: [
    .executableTarget(
      name: "CaseBridgeFuzz",
      dependencies: [.product(name: "CaseBridge", package: "CaseBridge")],
      path: "Sources/CaseBridgeFuzz")
  ]
)
