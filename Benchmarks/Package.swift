// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "CaseBridgeBenchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "CaseBridge", path: ".."),
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
