/// A whole CSV file as rows of text, for tools that compare out folders (`rebill diff`); the
/// inbox itself is read through typed decoders, never this way.
public enum CSVFile {
  public static func rows(path: String) throws -> [[String]] {
    var rows: [[String]] = []
    do {
      try CSVReader.read(path: path) { record in
        rows.append((0..<record.count).map { String(decoding: record.field($0), as: UTF8.self) })
      }
    } catch {
      throw FileError(description: "\(path): \(error)")
    }
    return rows
  }
}
