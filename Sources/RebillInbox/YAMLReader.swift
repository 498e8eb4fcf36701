internal import CYAML
import RebillModel

/// A YAML node with every scalar kept as its text: typing is the schema's job, so `no` stays
/// the string "no" wherever a string is expected.
indirect enum YAMLNode {
  case scalar(String, Mark, isNull: Bool)
  case sequence([YAMLNode], Mark)
  case mapping([(key: String, keyMark: Mark, value: YAMLNode)], Mark)

  /// 1-based line and column.
  struct Mark: Hashable {
    var line: Int
    var column: Int
  }

  var mark: Mark {
    switch self {
    case .scalar(_, let m, _), .sequence(_, let m), .mapping(_, let m): m
    }
  }

  var kindName: String {
    switch self {
    case .scalar: "a single value"
    case .sequence: "a list"
    case .mapping: "a mapping"
    }
  }
}

struct YAMLError: Error, Equatable {
  var mark: YAMLNode.Mark?
  /// The key the problem is under, when there is one.
  var field: String = ""
  var message: String
}

/// Reads one YAML document into a `YAMLNode` over libyaml's event parser, iteratively (no
/// recursion, so deep nesting cannot overflow the stack) and defensively: nesting is limited,
/// aliases are refused (no billion laughs), duplicate keys are errors, more than one document
/// is an error. Problems that leave the tree usable (duplicate keys, aliases, read as nothing)
/// are collected in `problems`; the others end the read.
struct YAMLReader {
  static let nestingLimit = 32

  private(set) var problems: [YAMLError] = []

  /// The document's root, or nil for an empty stream.
  mutating func read(_ data: [UInt8]) throws(YAMLError) -> YAMLNode? {
    let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    defer { parser.deallocate() }
    guard yaml_parser_initialize(parser) == 1 else {
      throw YAMLError(mark: nil, message: "out of memory")
    }
    defer { yaml_parser_delete(parser) }
    let input = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, data.count))
    defer { input.deallocate() }
    _ = input.initialize(from: data)
    yaml_parser_set_input_string(parser, input.baseAddress, data.count)
    return try build(parser)
  }

  private enum Frame {
    case sequence([YAMLNode], YAMLNode.Mark)
    case mapping(
      [(key: String, keyMark: YAMLNode.Mark, value: YAMLNode)],
      pendingKey: (String, YAMLNode.Mark)?,
      seen: [String: YAMLNode.Mark], YAMLNode.Mark)
  }

  private mutating func build(_ parser: UnsafeMutablePointer<yaml_parser_t>) throws(YAMLError)
    -> YAMLNode?
  {
    var stack: [Frame] = []
    var root: YAMLNode?
    var documents = 0
    var event = yaml_event_t()
    while true {
      guard yaml_parser_parse(parser, &event) == 1 else {
        let p = parser.pointee
        let problem = p.problem.map { String(cString: $0) } ?? "unreadable YAML"
        let context = p.context.map { String(cString: $0) + ": " } ?? ""
        throw YAMLError(
          mark: .init(line: Int(p.problem_mark.line) + 1, column: Int(p.problem_mark.column) + 1),
          message: "expected YAML, found an error: \(context)\(problem)")
      }
      defer { yaml_event_delete(&event) }
      let mark = YAMLNode.Mark(
        line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
      var finished: YAMLNode?
      switch event.type {
      case YAML_STREAM_END_EVENT:
        return root
      case YAML_DOCUMENT_START_EVENT:
        documents += 1
        if documents > 1 {
          throw YAMLError(mark: mark, message: "expected one YAML document, found another")
        }
      case YAML_ALIAS_EVENT:
        // Never expanded (no billion laughs); read as nothing so the rest is still checked.
        var key = ""
        if case .mapping(_, let pending?, _, _)? = stack.last { key = pending.0 }
        problems.append(
          YAMLError(
            mark: mark, field: key,
            message: "expected plain data, found an alias (aliases are not accepted)"))
        finished = .scalar("", mark, isNull: true)
      case YAML_SCALAR_EVENT:
        let s = event.data.scalar
        let text = String(
          decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
        let plain = s.style == YAML_PLAIN_SCALAR_STYLE
        let isNull =
          plain
          && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
        finished = .scalar(text, mark, isNull: isNull)
      case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
        if stack.count >= YAMLReader.nestingLimit {
          throw YAMLError(
            mark: mark,
            message: "expected at most \(YAMLReader.nestingLimit) levels of nesting, found more")
        }
        stack.append(
          event.type == YAML_SEQUENCE_START_EVENT
            ? .sequence([], mark) : .mapping([], pendingKey: nil, seen: [:], mark))
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        switch stack.removeLast() {
        case .sequence(let items, let m): finished = .sequence(items, m)
        case .mapping(let pairs, _, _, let m): finished = .mapping(pairs, m)
        }
      default:
        break
      }
      guard let node = finished else { continue }
      guard let top = stack.popLast() else {
        root = node
        continue
      }
      switch top {
      case .sequence(var items, let m):
        items.append(node)
        stack.append(.sequence(items, m))
      case .mapping(var pairs, let pending, var seen, let m):
        if let (key, keyMark) = pending {
          pairs.append((key, keyMark, node))
          stack.append(.mapping(pairs, pendingKey: nil, seen: seen, m))
        } else {
          guard case .scalar(let key, let keyMark, _) = node else {
            throw YAMLError(
              mark: node.mark, message: "expected a plain key, found \(node.kindName)")
          }
          if let first = seen[key] {
            problems.append(
              YAMLError(
                mark: keyMark, field: key,
                message:
                  "expected each key once in a mapping, found it again (first at line \(first.line))"
              ))
          } else {
            seen[key] = keyMark
          }
          stack.append(.mapping(pairs, pendingKey: (key, keyMark), seen: seen, m))
        }
      }
    }
  }
}

extension YAMLReader {
  /// Reads a YAML file (or its bytes, already read) and logs every problem at
  /// FILE:LINE:COLUMN under `display`: the document's root, or nil when the file is empty or
  /// could not be read (the reason logged).
  static func load(path: String, data: [UInt8]? = nil, display: String, log: DiagnosticLog)
    -> YAMLNode?
  {
    var reader = YAMLReader()
    let root: YAMLNode?
    do {
      root = try reader.read(try data ?? readFile(path))
    } catch let error as YAMLError {
      log.error(error.mark.location(in: display), field: error.field, error.message)
      return nil
    } catch {
      log.error(SourceLocation(file: display, line: 0), "cannot read the file: \(error)")
      return nil
    }
    for problem in reader.problems {
      log.error(problem.mark.location(in: display), field: problem.field, problem.message)
    }
    return root
  }
}

extension Optional where Wrapped == YAMLNode.Mark {
  /// FILE:LINE:COLUMN of a mark, or the file alone.
  func location(in file: String) -> SourceLocation {
    SourceLocation(file: file, line: self?.line ?? 0, column: self?.column)
  }
}
