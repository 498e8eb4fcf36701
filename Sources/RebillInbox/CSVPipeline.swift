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
      batch.records.forEachRecord(consumer)
      batch.records.removeAll()
      let (isLast, error) = (batch.isLast, batch.error)
      free.push(batch)
      if isLast {
        if let error { throw error }
        return
      }
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
      var failure: CSVReadError?
      do {
        // libcsv's callbacks assemble the records straight into a batch's buffers: a full
        // batch goes to the consumer whole, and the reader goes on in the buffers of a batch
        // the consumer gave back (empty). Copied into a batch record by record, as they were,
        // every byte and field end was copied twice.
        try CSVReader.read(path: path, blocksOf: CSVPipeline.batchRecords) { records in
          let batch = free.pop()
          swap(&records, &batch.records)
          full.push(batch)
        }
      } catch {
        failure = error
      }
      let last = free.pop()
      last.isLast = true
      last.error = failure
      full.push(last)
    }
  }
}

/// Records handed from the producer thread to the consumer. Only one thread touches a batch
/// at a time: the queues pass ownership.
private final class CSVBatch: @unchecked Sendable {
  var records = CSVRecords(room: CSVPipeline.batchRecords)
  var isLast = false
  var error: CSVReadError?

  deinit { records.deallocate() }
}
