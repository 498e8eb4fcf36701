// swift-tools-version: 6.1
import PackageDescription

let package = Package(
  name: "rebill",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "rebill", targets: ["rebill"])
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

    // Pure values: money, quantities, dates, ids, the inbox records, diagnostics. No I/O.
    .target(name: "RebillModel"),

    // Reading the inbox: CSV over libcsv, YAML over libyaml, typed records, validation.
    .target(name: "RebillInbox", dependencies: ["RebillModel", "CCSV", "CYAML"]),

    // The command line.
    .executableTarget(
      name: "rebill",
      dependencies: [
        "RebillModel", "RebillInbox",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    .testTarget(name: "RebillModelTests", dependencies: ["RebillModel"]),
    .testTarget(name: "RebillInboxTests", dependencies: ["RebillInbox", "RebillModel"]),
  ],
  swiftLanguageModes: [.v6]
)
