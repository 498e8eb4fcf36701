import Dispatch
import Foundation
import RebillModel

/// Reads a large CSV file on two cores: a producer thread runs libcsv and copies records into
/// batches, while the calling thread hands each record, in file order, to its consumer. Same
/// records, same lines, same errors as `CSVReader.read(path:_:)`, which small files use directly
/// (starting a thread costs more than it saves there).
enum CSVPipeline {
  /// Files at least this large are read by the pipeline.
  static let threshold = 4 << 20
  static let batchRecords = 4096
  static let batchCount = 4

  static func read(path: String, _ consumer: (CSVRecord) -> Void) throws(CSVReadError) {
    let full = BlockingQueue<CSVBatch>()
    let free = BlockingQueue<CSVBatch>()
    for _ in 0..<batchCount { free.push(CSVBatch()) }
    let producer = Producer(path: path, full: full, free: free)
    let thread = Thread { producer.run() }
    thread.stackSize = 1 << 20
    thread.start()
    while true {
      let batch = full.pop()
      batch.forEachRecord(consumer)
      if batch.isLast {
        let error = batch.error
        free.push(batch)
        if let error { throw error }
        return
      }
      free.push(batch)
    }
  }

  private final class Producer: @unchecked Sendable {
    let path: String
    let full: BlockingQueue<CSVBatch>
    let free: BlockingQueue<CSVBatch>

    init(path: String, full: BlockingQueue<CSVBatch>, free: BlockingQueue<CSVBatch>) {
      self.path = path
      self.full = full
      self.free = free
    }

    func run() {
      // The batch being filled, held strongly here and used through an unretained reference
      // per record: a captured variable holding a class is retained and released at every
      // use otherwise (two atomic operations a record, 3 % of reading).
      var batch = free.pop()
      batch.reset()
      var current = Unmanaged.passUnretained(batch)
      do {
        try CSVReader.read(path: path) { record in
          let full = current._withUnsafeGuaranteedRef { filling in
            filling.append(record)
            return filling.count == CSVPipeline.batchRecords
          }
          if full {
            self.full.push(batch)
            batch = free.pop()
            batch.reset()
            current = Unmanaged.passUnretained(batch)
          }
        }
      } catch {
        batch.error = error
      }
      batch.isLast = true
      full.push(batch)
    }
  }
}

/// Records copied out of libcsv's callbacks, handed from the producer thread to the consumer.
/// Only one thread touches a batch at a time: the queues pass ownership. So its arrays skip the
/// runtime's exclusivity check (a call into the runtime per append otherwise, three a record).
private final class CSVBatch: @unchecked Sendable {
  @exclusivity(unchecked) var bytes: [UInt8] = []
  @exclusivity(unchecked) var ends: [Int] = []
  /// Per record: where its bytes and its field ends end (each starts where the last record's
  /// end), and its line.
  @exclusivity(unchecked) var records: [(byteEnd: Int, fieldEnd: Int, line: Int)] = []
  @exclusivity(unchecked) var oversized: [Int: Int] = [:]
  var isLast = false
  var error: CSVReadError?

  init() {
    bytes.reserveCapacity(1 << 18)
    ends.reserveCapacity(CSVPipeline.batchRecords * 16)
    records.reserveCapacity(CSVPipeline.batchRecords)
  }

  var count: Int { records.count }

  func reset() {
    bytes.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    records.removeAll(keepingCapacity: true)
    oversized.removeAll()
    isLast = false
    error = nil
  }

  func append(_ record: CSVRecord) {
    bytes.append(contentsOf: record.bytes)
    ends.append(contentsOf: record.ends)
    if let length = record.oversized { oversized[records.count] = length }
    records.append((bytes.count, ends.count, record.line))
  }

  /// Each record in turn, its arrays opened once for the batch (not once per record: each
  /// opening of a class's array retains it and checks exclusive access).
  func forEachRecord(_ body: (CSVRecord) -> Void) {
    let oversized = self.oversized
    bytes.withUnsafeBufferPointer { bytes in
      ends.withUnsafeBufferPointer { ends in
        var (byteStart, fieldStart) = (0, 0)
        for (r, record) in records.enumerated() {
          body(
            CSVRecord(
              bytes: UnsafeBufferPointer(rebasing: bytes[byteStart..<record.byteEnd]),
              ends: UnsafeBufferPointer(rebasing: ends[fieldStart..<record.fieldEnd]),
              line: record.line, oversized: oversized.isEmpty ? nil : oversized[r]))
          (byteStart, fieldStart) = (record.byteEnd, record.fieldEnd)
        }
      }
    }
  }
}
