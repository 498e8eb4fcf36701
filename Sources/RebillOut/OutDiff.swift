import RebillModel

/// What changed between two out folders: documents and journal entries added, removed or
/// changed, with amounts and a total per currency. Pure: it compares rows already read.
public struct OutDiff {
  /// Rows of a CSV file with its header first; nil when the file is absent.
  public typealias Table = [[String]]

  public private(set) var lines: [String] = []
  public private(set) var changed = false

  public init() {}

  /// Documents, keyed by `invoice`, compared line by line.
  public mutating func documents(old: Table?, new: Table?) {
    let before = group(old, key: "invoice")
    let after = group(new, key: "invoice")
    compare(
      "documents", before, after,
      describe: { rows, header in
        let total = Self.documentTotal(rows, header)
        let first = rows[0]
        return
          "\(field(first, header, "title")) \(field(first, header, "customer")) total \(total.text)"
      }, total: { Self.documentTotal($0, $1) },
      rowLabel: { row, header in
        "line \(field(row, header, "line"))"
      })
  }

  /// Journal entries of the generic layout, keyed by `entry`.
  public mutating func journal(_ name: String, old: Table?, new: Table?) {
    compare(
      "journal entries (\(name))", group(old, key: "entry"), group(new, key: "entry"),
      describe: { rows, header in
        "\(field(rows[0], header, "date")) debits \(Self.sum(rows, header, "debit").text)"
      }, total: { Self.sum($0, $1, "debit") },
      rowLabel: { row, header in
        "line \(field(row, header, "line")) \(field(row, header, "account"))"
      })
  }

  /// Any other file: rows added and removed, or simply changed.
  public mutating func file(_ name: String, old: [String]?, new: [String]?) {
    switch (old, new) {
    case (nil, nil): return
    case (nil, _): lines.append("\(name): added")
    case (_, nil): lines.append("\(name): removed")
    case (let a?, let b?):
      guard a != b else { return }
      let added = Set(b).subtracting(a).count
      let removed = Set(a).subtracting(b).count
      lines.append("\(name): \(added) row\(added == 1 ? "" : "s") added, \(removed) removed")
    }
    changed = true
  }

  // MARK: Grouping and comparing

  struct Group {
    var header: [String]
    var keys: [String]
    var rows: [String: [[String]]]
  }

  func group(_ table: Table?, key: String) -> Group? {
    guard let table, let header = table.first, let index = header.firstIndex(of: key) else {
      return nil
    }
    var keys: [String] = []
    var rows: [String: [[String]]] = [:]
    for row in table.dropFirst() where row.count == header.count {
      if rows[row[index]] == nil { keys.append(row[index]) }
      rows[row[index], default: []].append(row)
    }
    return Group(header: header, keys: keys, rows: rows)
  }

  mutating func compare(
    _ title: String, _ before: Group?, _ after: Group?,
    describe: ([[String]], [String]) -> String, total: ([[String]], [String]) -> Amounts,
    rowLabel: ([String], [String]) -> String
  ) {
    let old = before ?? Group(header: after?.header ?? [], keys: [], rows: [:])
    let new = after ?? Group(header: before?.header ?? [], keys: [], rows: [:])
    let added = new.keys.filter { old.rows[$0] == nil }
    let removed = old.keys.filter { new.rows[$0] == nil }
    let common = new.keys.filter { old.rows[$0] != nil && old.rows[$0]! != new.rows[$0]! }
    guard !(added.isEmpty && removed.isEmpty && common.isEmpty) else { return }
    changed = true
    lines.append(
      "\(title): \(added.count) added, \(removed.count) removed, \(common.count) changed")
    var change = Amounts()
    for key in added {
      lines.append("  + \(key)  \(describe(new.rows[key]!, new.header))")
      change.add(total(new.rows[key]!, new.header))
    }
    for key in removed {
      lines.append("  - \(key)  \(describe(old.rows[key]!, old.header))")
      change.subtract(total(old.rows[key]!, old.header))
    }
    for key in common {
      let a = old.rows[key]!
      let b = new.rows[key]!
      var details: [String] = []
      for (i, row) in b.enumerated() {
        guard i < a.count else {
          details.append("\(rowLabel(row, new.header)) added")
          continue
        }
        let differing = new.header.indices.filter { $0 < a[i].count && a[i][$0] != row[$0] }
        if !differing.isEmpty {
          let what = differing.map { "\(new.header[$0]) \(a[i][$0]) → \(row[$0])" }.joined(
            separator: ", ")
          details.append("\(rowLabel(row, new.header)): \(what)")
        }
      }
      if a.count > b.count { details.append("\(a.count - b.count) line(s) removed") }
      lines.append("  ~ \(key)  \(details.joined(separator: "; "))")
      change.add(total(b, new.header))
      change.subtract(total(a, old.header))
    }
    lines.append("  change: \(change.text)")
  }

  // MARK: Amounts

  /// Amounts per currency, exact (parsed with the strict decimal grammar).
  public struct Amounts {
    var byCurrency: [String: (units: Int64, scale: Int)] = [:]

    mutating func add(_ other: Amounts) {
      for (currency, value) in other.byCurrency { add(currency, value.units, value.scale) }
    }

    mutating func subtract(_ other: Amounts) {
      for (currency, value) in other.byCurrency { add(currency, -value.units, value.scale) }
    }

    mutating func add(_ currency: String, _ units: Int64, _ scale: Int) {
      var current = byCurrency[currency] ?? (0, scale)
      while current.scale < scale {
        current = (current.units * 10, current.scale + 1)
      }
      var u = units
      var s = scale
      while s < current.scale {
        u *= 10
        s += 1
      }
      byCurrency[currency] = (current.units + u, current.scale)
    }

    var text: String {
      guard !byCurrency.isEmpty else { return "0" }
      return byCurrency.keys.sorted().map { code in
        let v = byCurrency[code]!
        return (v.units > 0 ? "+" : "") + formatScaled(v.units, scale: v.scale) + " " + code
      }.joined(separator: ", ")
    }
  }

  static func number(_ text: String) -> (Int64, Int)? {
    guard case .success(let d) = ExactDecimal.parse(text) else { return nil }
    return (d.mantissa, d.scale)
  }

  static func documentTotal(_ rows: [[String]], _ header: [String]) -> Amounts {
    var amounts = Amounts()
    for row in rows where field(row, header, "billing") == "chargeable" {
      let currency = field(row, header, "currency")
      for column in ["amount", "tax_amount"] {
        if let (units, scale) = number(field(row, header, column)) {
          amounts.add(currency, units, scale)
        }
      }
    }
    return amounts
  }

  static func sum(_ rows: [[String]], _ header: [String], _ column: String) -> Amounts {
    var amounts = Amounts()
    for row in rows {
      if let (units, scale) = number(field(row, header, column)) {
        amounts.add(field(row, header, "currency"), units, scale)
      }
    }
    return amounts
  }
}

func field(_ row: [String], _ header: [String], _ name: String) -> String {
  guard let i = header.firstIndex(of: name), i < row.count else { return "" }
  return row[i]
}
