import Dispatch
import Foundation
import RebillInbox
import RebillModel

// Progress on standard error: the stages with their times, and the live line a terminal sees.
// Times are whole milliseconds (no floating point anywhere in rebill); none reaches OUT.

extension Duration {
  /// The whole milliseconds of the duration.
  var milliseconds: Int {
    Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
  }
}

/// How many of `count` came a second, over `elapsed` (rounded down).
func perSecond(_ count: Int, over elapsed: Duration) -> Int {
  count * 1000 / max(1, elapsed.milliseconds)
}

/// The one line a long stage keeps on a terminal, drawn over itself and cleared when done.
enum LiveLine {
  static func draw(_ text: String) { write("\r\u{1B}[2Krebill: " + text) }
  static func clear() { write("\r\u{1B}[2K") }
  private static func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

/// Stage by stage progress on standard error, with the time each took: shown on a terminal or
/// with `--timings`, never otherwise, and never written into OUT. On a terminal a long stage
/// also keeps a live line of how far it is (`progress`), rewritten in place a few times a
/// second and cleared when the stage ends.
struct Stages {
  let enabled: Bool
  /// Standard error is a terminal, and not `--quiet`: the live line may be drawn.
  let live: Bool
  private var current: (name: String, started: ContinuousClock.Instant, cpu: Duration)?
  private let clock = ContinuousClock()
  private var drawn: ContinuousClock.Instant?

  init(enabled: Bool, live: Bool = false) {
    self.enabled = enabled
    self.live = live && enabled
  }

  /// Time since the current stage started (zero when none, or when not shown).
  var elapsed: Duration {
    guard let (_, started, _) = current else { return .zero }
    return clock.now - started
  }

  /// How far the current stage is, at most four times a second.
  mutating func progress(_ text: @autoclosure () -> String) {
    guard live, current != nil else { return }
    let now = clock.now
    if let drawn, now - drawn < .milliseconds(250) { return }
    drawn = now
    LiveLine.draw(text())
  }

  mutating func start(_ name: String) {
    finish()
    guard enabled else { return }
    current = (name, clock.now, cpuTime())
  }

  /// Names the current stage anew, once its figures are known.
  mutating func rename(_ name: (String) -> String) {
    if let (old, started, cpu) = current { current = (name(old), started, cpu) }
  }

  mutating func finish() {
    guard enabled, let (name, started, cpu) = current else { return }
    if drawn != nil {
      LiveLine.clear()
      drawn = nil
    }
    let ms = (clock.now - started).milliseconds
    let cpuMS = (cpuTime() - cpu).milliseconds
    printError("rebill: \(name): \(ms) ms (cpu \(cpuMS) ms, resident \(residentMiB()) MiB)")
    current = nil
  }
}

/// The processor time the process has used so far, on all its threads, user and system: a
/// stage's share beside its wall time says how many cores it kept busy.
func cpuTime() -> Duration {
  var usage = rusage()
  guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return .zero }
  func duration(_ t: timeval) -> Duration {
    .seconds(Int64(t.tv_sec)) + .microseconds(Int64(t.tv_usec))
  }
  return duration(usage.ru_utime) + duration(usage.ru_stime)
}

/// The process's resident memory now, in MiB, from /proc/self/statm (0 where there is none).
func residentMiB() -> Int {
  guard let file = fopen("/proc/self/statm", "r") else { return 0 }
  defer { fclose(file) }
  var size = 0
  var resident = 0
  guard
    withUnsafeMutablePointer(
      to: &size,
      { s in
        withUnsafeMutablePointer(to: &resident) { r in
          withVaList([s, r]) { vfscanf(file, "%ld %ld", $0) }
        }
      }) == 2
  else { return 0 }
  return resident * Int(sysconf(Int32(_SC_PAGESIZE))) / (1 << 20)
}

/// The live line while the inbox is read: rows so far and their rate, four times a second, from
/// a timer on another thread (the reading blocks this one), cleared by `stop()`.
final class ReadTicker: @unchecked Sendable {
  private let timer: DispatchSourceTimer
  private let started = ContinuousClock.Instant.now

  init(_ counter: ReadProgress) {
    timer = DispatchSource.makeTimerSource(queue: .global())
    let started = self.started
    timer.setEventHandler {
      let rows = counter.count
      LiveLine.draw(
        counter.isChecking
          ? "reading: \(rows) rows read; checking them across files"
          : "reading: \(rows) rows, \(perSecond(rows, over: .now - started)) a second")
    }
    timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
    timer.resume()
  }

  func stop() {
    timer.cancel()
    LiveLine.clear()
  }
}

extension InboxReader {
  /// The inbox read with a live line on a terminal (`live`), nothing otherwise.
  static func read(
    _ root: String, live: Bool, alongside: (@Sendable (Inbox) -> Void)? = nil
  ) -> InboxReading {
    let counter = ReadProgress()
    let ticker = live ? ReadTicker(counter) : nil
    defer { ticker?.stop() }
    return read(root, progress: counter, alongside: alongside)
  }
}
