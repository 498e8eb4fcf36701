// swift-tools-version: 6.1
// Fuzz targets for the inbox readers (libFuzzer, with AddressSanitizer): `make fuzz`.
// A package of its own so that its unsafe flags never reach the product's build.
import PackageDescription

let fuzzer: [SwiftSetting] = [.unsafeFlags(["-parse-as-library", "-sanitize=fuzzer,address"])]
let link: [LinkerSetting] = [.unsafeFlags(["-sanitize=fuzzer,address", "-use-ld=lld"])]

let package = Package(
  name: "rebill-fuzz",
  dependencies: [.package(name: "rebill", path: "..")],
  targets: [
    // One target; REBILL_FUZZ_FORMAT (csv or yaml) picks the decoder.
    .executableTarget(
      name: "FuzzInbox", dependencies: [.product(name: "RebillInbox", package: "rebill")],
      swiftSettings: fuzzer, linkerSettings: link)
  ],
  swiftLanguageModes: [.v6]
)
