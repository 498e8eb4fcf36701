import Glibc
import RebillInbox

/// libFuzzer's driver, started from this target's entry point (SwiftPM links executables
/// through `FuzzInbox_main`, so libFuzzer's own `main` stays out).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzer(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Which decoder the inputs go to: `REBILL_FUZZ_FORMAT=csv` (the default) or `yaml`.
nonisolated(unsafe) var decode: ([UInt8]) -> Int = Fuzzing.decodeCSV

@_cdecl("FuzzInbox_main")
public func fuzzMain(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
  if let format = getenv("REBILL_FUZZ_FORMAT"), String(cString: format) == "yaml" {
    decode = Fuzzing.decodeYAML
  }
  var count = argc
  var arguments = argv
  return runFuzzer(&count, &arguments) { data, size in fuzzOne(data, size) }
}

/// One input: any bytes, read as a file of every inbox kind. Also exported under libFuzzer's
/// own name, which its objects reference.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  _ = decode(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
  return 0
}
