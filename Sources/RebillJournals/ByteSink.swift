/// Where rendered text goes: a buffer in memory, or a file written as it is rendered, so that
/// a run never holds a whole output file (hundreds of megabytes at a million entries) in memory.
public protocol ByteSink {
  mutating func write(bytes: UnsafeRawBufferPointer)
}

extension ByteSink {
  public mutating func write(_ text: String) {
    var text = text
    text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
  }

  public mutating func write(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { write(bytes: $0) }
  }
}

/// Bytes kept in memory (tests, and anything small).
public struct MemorySink: ByteSink {
  public private(set) var bytes: [UInt8] = []
  public init() {}

  /// A sink with room for about `capacity` bytes: filling it then copies each byte once.
  public init(capacity: Int) { bytes.reserveCapacity(capacity) }
  public mutating func write(bytes: UnsafeRawBufferPointer) { self.bytes.append(contentsOf: bytes) }
}
