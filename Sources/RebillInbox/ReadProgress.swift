import Synchronization

/// How many rows the readers have decoded so far, counted from every thread that reads a
/// folder, for a live progress line. Readers add in batches (an atomic add per row would make
/// the threads fight over one cache line).
public final class ReadProgress: Sendable {
  private let rows = Atomic<Int>(0)
  private let checking = Atomic<Bool>(false)

  public init() {}

  public var count: Int { rows.load(ordering: .relaxed) }

  /// Every row is read; the checks across files run.
  public var isChecking: Bool { checking.load(ordering: .relaxed) }

  func startChecking() { checking.store(true, ordering: .relaxed) }

  func add(_ n: Int) { rows.add(n, ordering: .relaxed) }
}
