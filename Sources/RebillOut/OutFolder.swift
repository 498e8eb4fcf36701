internal import CSystem
import RebillJournals
import RebillModel

#if canImport(Glibc)
  import Glibc
#endif

/// Why the out folder could not be written; the previous one, if any, is intact.
public struct OutError: Error, CustomStringConvertible {
  public let description: String
}

/// Writes an out folder all or nothing: every file goes into a temporary sibling folder, which
/// then takes the place of OUT in one atomic exchange (`renameat2` with `RENAME_EXCHANGE`), so
/// that a failed or killed run leaves the previous OUT as it was, never a mix.
public enum OutFolder {
  public static func write(_ files: [(path: String, bytes: [UInt8])], to out: String)
    throws(OutError)
  {
    try write(files.map { file in OutFile(file.path) { $0.write(file.bytes) } }, to: out)
  }

  /// Streams each file into the temporary folder as it is rendered, then swaps it in.
  public static func write(_ files: [OutFile], to out: String) throws(OutError) {
    let folder = try Transaction(out)
    try folder.write(files)
    try folder.commit()
  }

  /// An out folder being written: files go into a temporary sibling folder, in any order, and
  /// `commit()` swaps it in as a whole. Dropped without a commit, it removes the temporary
  /// folder and OUT stays as it was.
  public final class Transaction: @unchecked Sendable {
    let out: String
    let parent: String
    let temporary: String
    /// Where the old OUT goes while a process of its own removes it (`commit`).
    let old: String
    private var committed = false

    public init(_ out: String) throws(OutError) {
      let out = out.hasSuffix("/") && out.count > 1 ? String(out.dropLast()) : out
      let slash = out.lastIndex(of: "/")
      let parent = slash.map { String(out[..<$0]) } ?? "."
      let name = slash.map { String(out[out.index(after: $0)...]) } ?? out
      self.out = out
      self.parent = parent.isEmpty ? "/" : parent
      temporary = (parent.isEmpty ? "/" : parent + "/") + ".\(name).rebill-new"
      old = (parent.isEmpty ? "/" : parent + "/") + ".\(name).rebill-old"
      try removeTree(temporary)
      try removeTree(old)
      try makeFolder(temporary)
    }

    deinit {
      if !committed { try? removeTree(temporary) }
    }

    /// A file of the folder, open for writing: stream into it, then `close()` it.
    public func create(_ path: String) throws(OutError) -> FileSink {
      let full = temporary + "/" + path
      if let dir = full.lastIndex(of: "/"), full[..<dir] != temporary {
        try makeFolders(String(full[..<dir]))
      }
      return try FileSink(path: full)
    }

    public func write(_ file: OutFile) throws(OutError) {
      let sink = try create(file.path)
      var any: any ByteSink = sink
      file.write(&any)
      try sink.close()
    }

    /// Writes the files at once, one per core: each renders into its own file. (The one
    /// method safe to call from several threads at once is this one: it touches no state.)
    public func write(_ files: [OutFile]) throws(OutError) {
      let failures = files.concurrentMap { file -> OutError? in
        do throws(OutError) {
          try write(file)
          return nil
        } catch {
          return error
        }
      }
      if let failure = failures.compactMap({ $0 }).first { throw failure }
    }

    /// Syncs the folder and swaps it in for OUT (or renames it to OUT when there is none).
    ///
    /// The old OUT is then removed. `removingTheOldInBackground`: by a process of its own,
    /// which this one does not wait for (`.NAME.rebill-old` until it is done, and the next
    /// run's start removes what it may leave): freeing hundreds of megabytes can take the
    /// kernel most of a second (on a file system mounted with `discard`, each unlink waits for
    /// the disk), and the new OUT is complete and on disk by then. Removed here when that
    /// process cannot be started.
    public func commit(removingTheOldInBackground: Bool = false) throws(OutError) {
      try syncFolder(temporary)
      if exists(out) {
        guard rebill_exchange_paths(temporary, out) == 0 else {
          throw OutError(description: "cannot replace \(out): \(String(cString: strerror(errno)))")
        }
        if !(removingTheOldInBackground && OutFolder.removeInBackground(temporary, as: old)) {
          try removeTree(temporary)
        }
      } else {
        guard rename(temporary, out) == 0 else {
          throw OutError(description: "cannot create \(out): \(String(cString: strerror(errno)))")
        }
      }
      committed = true
      try syncFolder(parent)
    }
  }

  /// Moves the old OUT aside (`.NAME.rebill-old`) and starts `rm -rf` on it in a process
  /// of its own, detached (a shell that puts it in the background and exits: nothing is left
  /// for this process to wait for, and no output of it reaches this one's). False, with
  /// `path` where it was, when either step fails.
  static func removeInBackground(_ path: String, as old: String) -> Bool {
    // `old` was removed when the transaction began (`init`).
    guard rename(path, old) == 0 else { return false }
    let arguments = ["/bin/sh", "-c", "rm -rf -- \"$1\" </dev/null >/dev/null 2>&1 &", "sh", old]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ) == 0 else {
      _ = rename(old, path)
      return false
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return true
  }

  static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  static func makeFolder(_ path: String) throws(OutError) {
    guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
      throw OutError(description: "cannot create \(path): \(String(cString: strerror(errno)))")
    }
  }

  static func makeFolders(_ path: String) throws(OutError) {
    if exists(path) { return }
    if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
      try makeFolders(String(path[..<slash]))
    }
    try makeFolder(path)
  }

  static func syncFolder(_ path: String) throws(OutError) {
    let fd = open(path, O_RDONLY | O_DIRECTORY)
    guard fd >= 0 else { return }
    defer { close(fd) }
    _ = fsync(fd)
  }

  /// Removes a file or a folder and everything in it; nothing when it is not there (or stops
  /// being there meanwhile: an earlier run's removal may still be going on).
  static func removeTree(_ path: String) throws(OutError) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR {
      if let dir = opendir(path) {
        var names: [String] = []
        while let entry = readdir(dir) {
          let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
          }
          if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        for name in names { try removeTree(path + "/" + name) }
      }
      guard rmdir(path) == 0 || errno == ENOENT else {
        throw OutError(description: "cannot remove \(path): \(String(cString: strerror(errno)))")
      }
    } else {
      guard unlink(path) == 0 || errno == ENOENT else {
        throw OutError(description: "cannot remove \(path): \(String(cString: strerror(errno)))")
      }
    }
  }
}
