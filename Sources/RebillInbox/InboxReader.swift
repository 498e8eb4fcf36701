import RebillModel

/// What reading an inbox gave: the typed records, and every problem found on the way.
public struct InboxReading: Sendable {
  public var inbox: Inbox
  /// Errors and warnings, in the order of files read, then of the checks across files.
  public var diagnostics: [Diagnostic]
  /// Records read per folder, in the order of `InboxReader.folders`.
  public var counts: [(folder: String, records: Int)]

  public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Reads an inbox folder: every `*.csv`, `*.yaml` and `*.yml` file of each kind's folder in
/// byte order of the name, hidden files skipped, anything else reported and skipped; then
/// `rebill.yaml`, then the checks that need every record (`InboxValidator`).
public enum InboxReader {
  /// The inbox's folders, in the order they are read and counted.
  public static let folders: [String] = {
    struct Names: KindVisitor {
      var folders: [String] = []
      mutating func visit<K: RecordKind>(_ kind: K.Type, into records: inout [K.Record]) {
        folders.append(K.folder)
      }
    }
    var names = Names()
    var inbox = Inbox()
    inbox.visitEveryKind(&names)
    return names.folders
  }()
  public static let settingsFile = "rebill.yaml"

  /// `alongside`, when given, runs on the records read at the same time as the checks across
  /// files (on another core), whatever they find.
  /// `progress`, when given, counts the rows as they are read.
  public static func read(
    _ root: String, progress: ReadProgress? = nil, alongside: (@Sendable (Inbox) -> Void)? = nil
  ) -> InboxReading {
    let log = DiagnosticLog()
    var inbox = Inbox()
    // Files listed and numbered in order, then every folder read at once (one per core: the
    // big ones are timesheets and invoices), then their records put in place in order.
    var plan = FolderPlan(root: root, log: log, progress: progress)
    inbox.visitEveryKind(&plan)
    let results = Array(zip(plan.jobs, plan.roomsAfter())).concurrentMap { $0.read($1) }
    // Each array handed over, not shared: a second owner would make the first append copy it.
    var place = FolderResults(
      results: (consume results).map { ($0.records, $0.diagnostics) }, log: log)
    inbox.visitEveryKind(&place)
    let fileNames = plan.fileNames
    let counts = place.counts
    inbox.files = fileNames
    checkRoot(root, log: log)
    let settingsPath = joinPath(root, settingsFile)
    if entryType(settingsPath) == .file {
      inbox.settings = SettingsReader.read(path: settingsPath, display: settingsPath, log: log)
    }
    progress?.startChecking()
    let checked = inbox
    let validate: @Sendable () -> [Diagnostic] = {
      let own = DiagnosticLog()
      InboxValidator(inbox: checked, log: own).validate()
      return own.diagnostics
    }
    if let alongside {
      // The checks across files on one core, `alongside` on the other.
      let both: [@Sendable () -> [Diagnostic]] = [
        validate,
        {
          alongside(checked)
          return []
        },
      ]
      log.append(both.concurrentMap { $0() }[0])
    } else {
      log.append(validate())
    }
    // Problems in reading order of the files (settings first), then by line and column, so
    // that the checks across files land beside the ones found while reading.
    var order: [String: Int] = [settingsPath: -1]
    for (i, name) in fileNames.enumerated() { order[name] = i }
    let diagnostics = log.diagnostics.enumerated().sorted { a, b in
      let x = a.element.location
      let y = b.element.location
      let kx = (order[x.file] ?? Int.max, x.file, x.line, x.column ?? 0, a.offset)
      let ky = (order[y.file] ?? Int.max, y.file, y.line, y.column ?? 0, b.offset)
      return kx < ky
    }.map(\.element)
    return InboxReading(inbox: inbox, diagnostics: diagnostics, counts: counts)
  }

  /// One kind's folder to read: its files, numbered in inbox order. `read` is given the bytes
  /// of the later folders whose records go to the same array (the entries of timesheets,
  /// expenses, materials and fees), and leaves room for them: appending them then does not
  /// copy the first folder's records (a million entries: 88 MB).
  struct FolderJob: Sendable {
    let read: @Sendable (_ roomAfter: Int) -> (records: any Sendable, diagnostics: [Diagnostic])
  }

  /// Lists each kind's files, numbering them, and makes the job that reads them.
  struct FolderPlan: KindVisitor {
    let root: String
    let log: DiagnosticLog
    let progress: ReadProgress?
    var fileNames: [String] = []
    var jobs: [FolderJob] = []
    /// Per job: the type of its records and the bytes of its files (`roomsAfter()`).
    private var sizes: [(records: ObjectIdentifier, bytes: Int)] = []

    init(root: String, log: DiagnosticLog, progress: ReadProgress?) {
      self.root = root
      self.log = log
      self.progress = progress
    }

    mutating func visit<K: RecordKind>(_ kind: K.Type, into records: inout [K.Record]) {
      let folder = joinPath(root, K.folder)
      var files: [(path: String, display: String, format: Format, number: Int32, bytes: Int)] = []
      if entryType(folder) == .directory {
        for (path, display, format) in InboxReader.files(in: folder, display: folder, log: log) {
          files.append((path, display, format, Int32(fileNames.count), fileByteCount(path)))
          fileNames.append(display)
        }
      }
      sizes.append((ObjectIdentifier(K.Record.self), files.reduce(0) { $0 + $1.bytes }))
      jobs.append(
        FolderJob { [files, progress] roomAfter in
          let log = DiagnosticLog()
          let reader = KindReader<K>(log: log, progress: progress)
          var records: [K.Record] = []
          var after = files.reduce(roomAfter) { $0 + $1.bytes }
          for file in files {
            after -= file.bytes
            switch file.format {
            case .csv:
              reader.readCSV(
                .path(file.path), display: file.display, file: file.number, roomAfter: after,
                into: &records)
            case .yaml:
              reader.readYAML(
                path: file.path, display: file.display, file: file.number, into: &records)
            }
          }
          return (records, log.diagnostics)
        })
    }

    /// For each job, the bytes the later folders of its records hold.
    func roomsAfter() -> [Int] {
      sizes.indices.map { i in
        sizes[(i + 1)...].reduce(0) { $0 + ($1.records == sizes[i].records ? $1.bytes : 0) }
      }
    }
  }

  /// Puts each kind's records in place, in order, and counts them.
  struct FolderResults: KindVisitor {
    var results: [(records: (any Sendable)?, diagnostics: [Diagnostic])]
    let log: DiagnosticLog
    var next = 0
    var counts: [(folder: String, records: Int)] = []

    mutating func visit<K: RecordKind>(_ kind: K.Type, into records: inout [K.Record]) {
      let read = results[next].records as! [K.Record]
      results[next].records = nil
      log.append(results[next].diagnostics)
      next += 1
      counts.append((K.folder, read.count))
      if records.isEmpty {
        records = read
      } else if !read.isEmpty {
        records += read
      }
    }
  }

  enum Format { case csv, yaml }

  /// The readable files of a kind's folder, in byte order of the name.
  static func files(in folder: String, display: String, log: DiagnosticLog)
    -> [(path: String, display: String, format: Format)]
  {
    let names: [String]
    do {
      names = try directoryNames(folder)
    } catch {
      log.error(SourceLocation(file: display, line: 0), "cannot read the folder: \(error)")
      return []
    }
    var files: [(String, String, Format)] = []
    for name in names where !name.hasPrefix(".") {
      let path = joinPath(folder, name)
      let shownPath = joinPath(display, name)
      let format: Format? =
        name.hasSuffix(".csv")
        ? .csv : (name.hasSuffix(".yaml") || name.hasSuffix(".yml")) ? .yaml : nil
      guard let format else {
        log.warning(
          SourceLocation(file: shownPath, line: 0), "not a .csv, .yaml or .yml file, skipped")
        continue
      }
      files.append((path, shownPath, format))
    }
    return files
  }

  /// Reports anything at the inbox root that rebill will not read, so nothing is dropped
  /// silently (a misspelt folder, say).
  static func checkRoot(_ root: String, log: DiagnosticLog) {
    guard let names = try? directoryNames(root) else { return }
    for name in names where !name.hasPrefix(".") {
      let path = joinPath(root, name)
      let isFolder = entryType(path) == .directory
      if isFolder && folders.contains(name) { continue }
      if !isFolder && name == settingsFile { continue }
      if isFolder, name == "README" || name == "docs" { continue }
      if !isFolder, name.hasSuffix(".md") || name.hasSuffix(".txt") { continue }
      log.warning(
        SourceLocation(file: path, line: 0),
        isFolder
          ? "not an inbox folder (\(folders.joined(separator: ", "))), skipped"
          : "not read, skipped")
    }
  }
}
