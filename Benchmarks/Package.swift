// swift-tools-version: 6.1
// Allocation benchmarks (package-benchmark) of the CaseBridge pipeline: the allocation half of the regression
// gates that scripts/perf_gate.sh runs in CI (BENCHMARKS.md, "Regression gates (CI)"). A package of its own, so
// that users of the CaseBridge library never fetch package-benchmark; it depends on the root package by path.
// Build and run it through scripts/perf_gate.sh, which passes `--scratch-path ../.build` to reuse the root's release
// build of the CaseBridge modules.
import PackageDescription

let package = Package(
  name: "CaseBridgeBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    // `name:` because the path's last component (the checkout's folder name) is the package identity otherwise.
    .package(name: "CaseBridge", path: ".."),
    // MallocInterposer only: the allocation counts. The default traits would add the Swift 6.3 runtime interposer,
    // a package that is not needed for malloc counts.
    .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "CaseBridgeBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "CaseBridge", package: "CaseBridge"),
      ],
      path: "CaseBridgeBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ]
)
