// swift-tools-version: 6.1
import PackageDescription

let upcoming: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "CaseBridge",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "CaseBridge", targets: ["CaseBridge"]),
    .library(name: "CaseModel", targets: ["CaseModel"]),
    .executable(name: "casebridge", targets: ["CaseBridgeCLI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
  ],
  targets: [
    // Value types only. No dependencies, no Foundation.
    .target(name: "CaseModel", swiftSettings: upcoming),
    // Format-neutral contracts: locations, read outcomes, format ids, limits, diagnostics.
    .target(name: "CaseInterchange", dependencies: ["CaseModel"], swiftSettings: upcoming),
    // Canonical JSON bundle and JSON Lines: strict byte-level scanner, reader, writer.
    .target(name: "CaseJSON", dependencies: ["CaseModel", "CaseInterchange"], swiftSettings: upcoming),
    // CSV: streaming byte-level RFC 4180 tokenizer with legacy encodings, and the CSV writer.
    .target(name: "CaseCSV", dependencies: ["CaseModel", "CaseInterchange"], swiftSettings: upcoming),
    // libxml2 2.9.x from the system (Debian libxml2-dev). Only CaseXML imports it; no libxml2 type is public.
    .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
    // XML: hardened streaming reader over libxml2 (records with exact byte spans, per-record XSD validation),
    // streaming writer, hardened HTML parsing; CaseBridge's own XML format (casebridge-case-1.0.xsd).
    .target(
      name: "CaseXML", dependencies: ["CLibXML2", "CaseModel", "CaseInterchange", "CaseJSON"],
      swiftSettings: upcoming),
    // NCMEC: CyberTipline report XML in and out, CyberTip JSON (as police receive it) in.
    .target(
      name: "CaseNCMEC", dependencies: ["CaseModel", "CaseInterchange", "CaseJSON", "CaseXML"], swiftSettings: upcoming),
    // The mapping-profile language: profiles, transforms, the record mapper, column profiling for `inspect`.
    // Formats never import it; the pipeline does.
    .target(
      name: "CaseMapping",
      dependencies: ["CaseModel", "CaseInterchange", "CaseJSON", .product(name: "Yams", package: "Yams")],
      swiftSettings: upcoming),
    // Provider legal-process returns (key-value letters, IP logs, sectioned CSV, HTML records pages) through
    // provider profiles, and lease matching.
    .target(
      name: "CaseISP", dependencies: ["CaseModel", "CaseInterchange", "CaseCSV", "CaseJSON", "CaseMapping", "CaseXML"],
      swiftSettings: upcoming),
    // Rule catalogue and semantic checks over model records.
    .target(name: "CaseValidation", dependencies: ["CaseModel", "CaseInterchange"], swiftSettings: upcoming),
    // The top-level Schemas/ folder: JSON Schemas (and later XSDs and profiles) as resources.
    .target(
      name: "CaseSchemas", path: "Schemas", exclude: [],
      resources: [.copy("json"), .copy("profiles"), .copy("xml")], swiftSettings: upcoming),
    // reader -> mapping -> validation -> writer | quarantine; run report; deterministic ids.
    .target(
      name: "CasePipeline",
      dependencies: [
        "CaseModel", "CaseInterchange", "CaseJSON", "CaseCSV", "CaseMapping", "CaseValidation", "CaseXML", "CaseNCMEC",
        "CaseISP", .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
      ], swiftSettings: upcoming),
    // The case store: SQLite through GRDB (system libsqlite3, Debian libsqlite3-dev). Keyed, versioned entities
    // with provenance, an identifier index, processed inputs, quarantine rows; search, links, export, history.
    .target(
      name: "CaseStore",
      dependencies: [
        "CaseModel", "CaseInterchange", "CaseJSON", "CasePipeline", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ], swiftSettings: upcoming),
    // Run reports for people: the HTML page (Mustache template, inline CSS, no scripts) and the terminal text,
    // both rendered from a run report's or batch report's canonical JSON.
    .target(
      name: "CaseReport",
      dependencies: [
        "CaseModel", "CaseInterchange", "CaseJSON", "CaseValidation", "CasePipeline",
        .product(name: "Mustache", package: "swift-mustache"),
      ], swiftSettings: upcoming),
    // Umbrella for library users.
    .target(
      name: "CaseBridge",
      dependencies: [
        "CaseModel", "CaseInterchange", "CaseJSON", "CaseCSV", "CaseMapping", "CaseValidation", "CasePipeline",
        "CaseSchemas", "CaseXML", "CaseNCMEC", "CaseISP", "CaseStore", "CaseReport",
      ],
      swiftSettings: upcoming),
    .executableTarget(
      name: "CaseBridgeCLI",
      dependencies: [
        "CaseBridge",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ], swiftSettings: upcoming),

    .target(
      name: "CaseTestSupport", dependencies: ["CaseBridge"], path: "Tests/CaseTestSupport",
      swiftSettings: upcoming),
    .testTarget(name: "CaseModelTests", dependencies: ["CaseModel", "CaseInterchange"], swiftSettings: upcoming),
    .testTarget(name: "CaseJSONTests", dependencies: ["CaseJSON", "CaseTestSupport"], swiftSettings: upcoming),
    .testTarget(name: "CaseCSVTests", dependencies: ["CaseModel", "CaseInterchange", "CaseCSV", "CaseTestSupport"], swiftSettings: upcoming),
    .testTarget(name: "CaseMappingTests", dependencies: ["CaseModel", "CaseInterchange", "CaseMapping", "CaseTestSupport"], swiftSettings: upcoming),
    .testTarget(name: "CaseXMLTests", dependencies: ["CaseXML", "CaseTestSupport"], swiftSettings: upcoming),
    .testTarget(name: "CaseNCMECTests", dependencies: ["CaseNCMEC", "CaseXML", "CaseTestSupport"], swiftSettings: upcoming),
    .testTarget(name: "CaseISPTests", dependencies: ["CaseISP", "CaseTestSupport"], exclude: ["FailCases"], swiftSettings: upcoming),
    .testTarget(name: "CasePipelineTests", dependencies: ["CaseBridge", "CaseTestSupport"], swiftSettings: upcoming),
    .testTarget(name: "CaseStoreTests", dependencies: ["CaseStore", "CaseBridge", "CaseTestSupport"], swiftSettings: upcoming),
    .testTarget(
      name: "CaseBridgeCLITests", dependencies: ["CaseBridge", "CaseTestSupport", "CaseBridgeCLI"],
      exclude: ["FailCases"],  // inputs of the fuzzing round's findings, read by path at run time
      swiftSettings: upcoming),
  ]
)
