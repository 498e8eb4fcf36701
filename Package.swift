// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "rebill",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "rebill", targets: ["rebill"]),
    // For the fuzz targets in fuzz/ (a package of their own, built with sanitizers).
    .library(name: "RebillInbox", targets: ["RebillInbox"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    // C libraries, each behind a one-line shim header; only RebillInbox imports them.
    .systemLibrary(name: "CCSV", path: "Sources/CCSV", providers: [.apt(["libcsv-dev"])]),
    .systemLibrary(
      name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]),

    // One system call glibc hides from Swift (renameat2), for the all-or-nothing out folder.
    .target(name: "CSystem"),

    // Pure values: money, quantities, dates, ids, the inbox records, diagnostics. No I/O.
    .target(name: "RebillModel"),

    // Reading the inbox: CSV over libcsv, YAML over libyaml, typed records, validation.
    .target(name: "RebillInbox", dependencies: ["RebillModel", "CCSV", "CYAML"]),

    // The engine: a pure function from records to actuals and documents. No I/O; of C, only
    // the cache's prefetch hint (CSystem).
    .target(name: "RebillEngine", dependencies: ["RebillModel", "CSystem"]),

    // Journals: balanced postings through an account mapping, written in data-defined layouts.
    .target(name: "RebillJournals", dependencies: ["RebillModel", "RebillEngine"]),

    // Writing the out folder: documents, actuals, milestones, report; all or nothing.
    .target(
      name: "RebillOut", dependencies: ["RebillModel", "RebillEngine", "RebillJournals", "CSystem"]),

    // Deterministic inboxes of any size, for benchmarks and soak tests (`rebill generate`).
    .target(name: "RebillGenerate", dependencies: ["RebillModel", "RebillEngine"]),

    // The command line.
    .executableTarget(
      name: "rebill",
      dependencies: [
        "RebillModel", "RebillInbox", "RebillEngine", "RebillJournals", "RebillOut",
        "RebillGenerate", "CSystem",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // Helpers the test targets share: temporary inboxes, paths, a seeded generator.
    .target(name: "TestSupport", dependencies: ["RebillInbox"], path: "Tests/TestSupport"),
    .testTarget(name: "RebillModelTests", dependencies: ["RebillModel", "TestSupport"]),
    .testTarget(
      name: "RebillInboxTests", dependencies: ["RebillInbox", "RebillModel", "TestSupport"]),
    .testTarget(
      name: "RebillEngineTests",
      dependencies: [
        "RebillEngine", "RebillModel", "RebillInbox", "RebillOut", "RebillJournals", "TestSupport",
      ]),
  ],
  swiftLanguageModes: [.v6]
)
