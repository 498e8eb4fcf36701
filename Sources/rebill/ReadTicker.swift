import Dispatch
import Foundation
import RebillInbox
import RebillModel

/// The live line while the inbox is read: rows so far and their rate, four times a second, from
/// a timer on another thread (the reading blocks this one), cleared by `stop()`.
final class ReadTicker: @unchecked Sendable {
  private let timer: DispatchSourceTimer
  private let started = ContinuousClock.now

  init(_ counter: ReadProgress) {
    timer = DispatchSource.makeTimerSource(queue: .global())
    let started = self.started
    timer.setEventHandler {
      let elapsed = ContinuousClock.now - started
      let seconds =
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
      let rows = counter.count
      let line =
        counter.isChecking
        ? "reading: \(rows) rows read; checking them across files"
        : "reading: \(rows) rows, \(Int(Double(rows) / max(seconds, 0.001))) a second"
      FileHandle.standardError.write(Data("\r\u{1B}[2Krebill: \(line)".utf8))
    }
    timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
    timer.resume()
  }

  func stop() {
    timer.cancel()
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
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
