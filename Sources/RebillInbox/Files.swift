#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct FileError: Error, CustomStringConvertible {
  let description: String
}

/// The whole file's bytes (YAML files and settings: small by nature).
func readFile(_ path: String) throws -> [UInt8] {
  let fd = open(path, O_RDONLY)
  if fd < 0 { throw FileError(description: String(cString: strerror(errno))) }
  defer { close(fd) }
  var data: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    if n < 0 { throw FileError(description: String(cString: strerror(errno))) }
    if n == 0 { return data }
    data.append(contentsOf: chunk[0..<n])
  }
}

/// The file's size in bytes, 0 when it cannot be read.
func fileByteCount(_ path: String) -> Int {
  var info = stat()
  return stat(path, &info) == 0 ? Int(info.st_size) : 0
}

enum EntryType { case file, directory, other, missing }

func entryType(_ path: String) -> EntryType {
  var info = stat()
  guard stat(path, &info) == 0 else { return .missing }
  switch info.st_mode & S_IFMT {
  case S_IFREG: return .file
  case S_IFDIR: return .directory
  default: return .other
  }
}

/// The names in a directory, in byte order, without `.` and `..`.
func directoryNames(_ path: String) throws -> [String] {
  guard let dir = opendir(path) else {
    throw FileError(description: String(cString: strerror(errno)))
  }
  defer { closedir(dir) }
  var names: [String] = []
  while let entry = readdir(dir) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
      String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
    }
    if name != "." && name != ".." { names.append(name) }
  }
  return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
}

/// `base/name`, without doubling a trailing slash.
func joinPath(_ base: String, _ name: String) -> String {
  base.hasSuffix("/") ? base + name : base + "/" + name
}
