import RebillEngine
import RebillJournals
import RebillModel

extension OutFolder.Transaction {
  /// Writes each journal into `journals/`: its head, then its entries in chunks of about
  /// `chunk` postings, rendered on up to `workers` threads at once and written in file order
  /// as each is done (`inOrder`), a few chunks' bytes in memory at a time. The journals are the
  /// biggest files made at the end of a run: written one per thread, the last one went on
  /// alone. (Chunks are cut by postings, not entries: a document may have thousands of lines.)
  public func writeJournals(
    _ journals: [(layout: JournalLayout, entries: [JournalEntry])], context: RenderContext,
    workers: Int, chunk: Int = 32_768
  ) throws(OutError) {
    // The pieces, file after file: a file's head (no entries), then its chunks.
    struct Piece {
      let file: Int
      let entries: Range<Int>?
      let postings: Int
    }
    var pieces: [Piece] = []
    for (file, journal) in journals.enumerated() {
      pieces.append(Piece(file: file, entries: nil, postings: chunk))
      var start = 0
      var postings = 0
      for (i, entry) in journal.entries.enumerated() {
        postings += entry.postings.count
        if postings >= chunk || i == journal.entries.count - 1 {
          pieces.append(Piece(file: file, entries: start..<i + 1, postings: postings))
          (start, postings) = (i + 1, 0)
        }
      }
    }
    var sink: FileSink?
    var failure: OutError?
    // A chunk's bytes go into a buffer kept for the chunks after once written (`LinePool`).
    let pool = LinePool(keep: 2 * max(1, workers) + 2)
    inOrder(
      count: pieces.count, workers: workers, weight: { [pieces] in pieces[$0].postings },
      budget: chunk * 2 * max(1, workers),
      work: { [pieces] i in
        let piece = pieces[i]
        let (layout, entries) = journals[piece.file]
        var bytes = pool.line(capacity: piece.postings * 128)
        if let range = piece.entries {
          JournalRenderer.renderBody(entries[range], layout: layout, context: context, to: &bytes)
        } else {
          JournalRenderer.renderHead(entries, layout: layout, context: context, to: &bytes)
        }
        return HandedLine(bytes)
      },
      consume: { i, bytes in
        let piece = pieces[i]
        do throws(OutError) {
          if piece.entries == nil {
            sink = try create(OutFiles.journalPath(journals[piece.file].layout))
          }
          if var file = sink { bytes.line.write(to: &file) }
          pool.recycle(bytes.line)
          // A file's last piece: the next is the next file's head, or there is none.
          if i + 1 == pieces.count || pieces[i + 1].entries == nil {
            try sink?.close()
            sink = nil
          }
        } catch {
          failure = failure ?? error
        }
      })
    if let failure { throw failure }
  }
}
