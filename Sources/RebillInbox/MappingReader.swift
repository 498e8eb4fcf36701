import Foundation
import RebillModel

/// Reads the mapping files: the account mapping and the journal layouts, each checked key by
/// key like the inbox (FILE:LINE:COLUMN: KEY: expected …, found …).
public enum MappingReader {
  /// The account mapping at `path`: an account for every role. Nil (with errors) otherwise.
  public static func accounts(path: String) -> (AccountMap?, [Diagnostic]) {
    let log = DiagnosticLog()
    guard let pairs = mapping(path, log) else { return (nil, log.diagnostics) }
    var accounts: [AccountRole: Account] = [:]
    for (key, keyMark, value) in pairs {
      guard let role = AccountRole(rawValue: key) else {
        log.warning(at(path, keyMark), field: key, "unknown account role, ignored")
        continue
      }
      guard case .mapping(let fields, _) = value else {
        log.error(
          at(path, value.mark), field: key,
          "expected code, name and ledger, found \(value.kindName)")
        continue
      }
      var values: [String: String] = [:]
      for (name, _, field) in fields {
        if case .scalar(let text, _, false) = field { values[name] = text }
      }
      guard let code = values["code"], let name = values["name"], let ledger = values["ledger"]
      else {
        log.error(
          at(path, value.mark), field: key,
          "expected code, name and ledger, found \(values.keys.sorted().joined(separator: ", "))")
        continue
      }
      accounts[role] = Account(role: role, code: code, name: name, ledger: ledger)
    }
    for role in AccountRole.allCases where accounts[role] == nil {
      log.error(
        SourceLocation(file: path, line: 0), field: role.rawValue,
        "expected an account for this role, found none")
    }
    return (log.errorCount == 0 ? AccountMap(accounts: accounts) : nil, log.diagnostics)
  }

  /// The journal layout at `path` (its name is the file's, without `.yaml`).
  public static func layout(path: String) -> (JournalLayout?, [Diagnostic]) {
    let log = DiagnosticLog()
    guard let pairs = mapping(path, log) else { return (nil, log.diagnostics) }
    let base = String(path.split(separator: "/").last ?? "").replacingOccurrences(
      of: ".yaml", with: "")
    var layout = JournalLayout(name: base, source: "")
    var flags = ("D", "C")
    var style = "debit_credit"
    for (key, keyMark, value) in pairs {
      func scalar() -> String? {
        guard case .scalar(let text, _, _) = value else {
          log.error(
            at(path, value.mark), field: key, "expected a single value, found \(value.kindName)")
          return nil
        }
        return text
      }
      func word<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> E?
      where E.RawValue == String {
        guard let text = scalar() else { return nil }
        guard let value = E(rawValue: text) else {
          log.error(
            at(path, value.mark), field: key,
            "expected one of \(E.allCases.map(\.rawValue).joined(separator: ", ")), found \(shown(text))"
          )
          return nil
        }
        return value
      }
      func bool() -> Bool? {
        guard let text = scalar() else { return nil }
        switch text {
        case "true", "yes": return true
        case "false", "no": return false
        default:
          log.error(
            at(path, value.mark), field: key, "expected true or false, found \(shown(text))")
          return nil
        }
      }
      switch key {
      case "name": if let text = scalar() { layout.name = text }
      case "source": if let text = scalar() { layout.source = text }
      case "kind": if let kind = word(JournalLayout.Kind.self) { layout.kind = kind }
      case "extension": if let text = scalar() { layout.fileExtension = text }
      case "delimiter": if let text = scalar() { layout.delimiter = text == "\\t" ? "\t" : text }
      case "quoting": if let quoting = word(JournalLayout.Quoting.self) { layout.quoting = quoting }
      case "line_ending":
        switch scalar() {
        case "lf": layout.lineEnding = "\n"
        case "crlf": layout.lineEnding = "\r\n"
        case let other?:
          log.error(at(path, value.mark), field: key, "expected lf or crlf, found \(shown(other))")
        case nil: break
        }
      case "encoding":
        if let encoding = word(JournalLayout.Encoding.self) { layout.encoding = encoding }
      case "bom": if let flag = bool() { layout.byteOrderMark = flag }
      case "header": if let flag = bool() { layout.header = flag }
      case "pairs": if let flag = bool() { layout.pairs = flag }
      case "date_format": if let text = scalar() { layout.dateFormat = text }
      case "decimal_separator": if let text = scalar() { layout.decimalSeparator = text }
      case "decimals":
        if let text = scalar() {
          if let n = Int(text), (0...6).contains(n) {
            layout.decimals = n
          } else {
            log.error(
              at(path, value.mark), field: key,
              "expected a number of decimals from 0 to 6, found \(shown(text))")
          }
        }
      case "amounts":
        if let text = scalar() {
          if ["debit_credit", "signed", "flag"].contains(text) {
            style = text
          } else {
            log.error(
              at(path, value.mark), field: key,
              "expected one of debit_credit, signed, flag, found \(shown(text))")
          }
        }
      case "flag_debit": if let text = scalar() { flags.0 = text }
      case "flag_credit": if let text = scalar() { flags.1 = text }
      case "account_field":
        if let text = scalar() {
          if ["ledger", "code", "name"].contains(text) {
            layout.accountField = text
          } else {
            log.error(
              at(path, value.mark), field: key,
              "expected one of ledger, code, name, found \(shown(text))")
          }
        }
      case "preamble":
        guard case .sequence(let records, _) = value else {
          log.error(
            at(path, value.mark), field: key, "expected a list of records, found \(value.kindName)")
          continue
        }
        layout.preamble = records.map { record in
          guard case .sequence(let cells, _) = record else {
            log.error(
              at(path, record.mark), field: key,
              "expected a list of cells, found \(record.kindName)")
            return []
          }
          return cells.map { cell in
            guard case .scalar(let text, _, _) = cell else { return "" }
            checkTemplate(text, JournalLayout.preambleFields, path, cell.mark, key, log)
            return text
          }
        }
      case "columns":
        guard case .sequence(let items, _) = value else {
          log.error(
            at(path, value.mark), field: key, "expected a list of columns, found \(value.kindName)")
          continue
        }
        for item in items {
          guard case .mapping(let fields, let mark) = item else {
            log.error(
              at(path, item.mark), field: key,
              "expected a column (name and value), found \(item.kindName)")
            continue
          }
          var values: [String: String] = [:]
          for (name, _, field) in fields {
            if case .scalar(let text, _, _) = field { values[name] = text }
          }
          guard let name = values["name"], let template = values["value"] else {
            log.error(
              at(path, mark), field: key,
              "expected a column with name and value, found \(values.keys.sorted().joined(separator: ", "))"
            )
            continue
          }
          checkTemplate(template, JournalLayout.rowFields, path, mark, "columns", log)
          layout.columns.append(
            JournalLayout.Column(
              name: name, value: template, firstRowOnly: values["first_row_only"] == "true"))
        }
      default:
        log.warning(at(path, keyMark), field: key, "unknown layout key, ignored")
      }
    }
    switch style {
    case "signed": layout.amountStyle = .signed
    case "flag": layout.amountStyle = .flag(debit: flags.0, credit: flags.1)
    default: layout.amountStyle = .debitCredit
    }
    if layout.kind == .table && layout.columns.isEmpty {
      log.error(
        SourceLocation(file: path, line: 0), field: "columns",
        "expected the columns of a table layout, found none")
    }
    return (log.errorCount == 0 ? layout : nil, log.diagnostics)
  }

  static func at(_ path: String, _ mark: YAMLNode.Mark?) -> SourceLocation {
    mark.location(in: path)
  }

  /// The file's top-level mapping, or nil with the reason logged.
  static func mapping(_ path: String, _ log: DiagnosticLog) -> [(
    key: String, keyMark: YAMLNode.Mark, value: YAMLNode
  )]? {
    let root = YAMLReader.load(path: path, display: path, log: log)
    guard case .mapping(let pairs, _)? = root else {
      log.error(at(path, root?.mark), "expected a mapping, found \(root?.kindName ?? "nothing")")
      return nil
    }
    return pairs
  }

  /// Every `{field}` of a template must be one the renderer knows.
  static func checkTemplate(
    _ template: String, _ known: Set<String>, _ path: String, _ mark: YAMLNode.Mark,
    _ key: String, _ log: DiagnosticLog
  ) {
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
      let name = String(rest[rest.index(after: open)..<close])
      if !known.contains(name) {
        log.error(
          at(path, mark), field: key,
          "expected a field of \(known.sorted().joined(separator: ", ")), found {\(name)}")
      }
      rest = rest[rest.index(after: close)...]
    }
  }
}
