import RebillInbox

/// libFuzzer's driver, started from this target's entry point (SwiftPM links executables
/// through `FuzzYAML_main`, so libFuzzer's own `main` stays out).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzer(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("FuzzYAML_main")
public func fuzzMain(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
  var count = argc
  var arguments = argv
  return runFuzzer(&count, &arguments) { data, size in fuzzOne(data, size) }
}

/// One input: any bytes, read as a YAML file of every inbox kind. Also exported under
/// libFuzzer's own name, which its objects reference.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  _ = Fuzzing.decodeYAML(bytes)
  return 0
}
