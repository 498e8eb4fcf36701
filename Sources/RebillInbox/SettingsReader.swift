import RebillModel

/// Reads `rebill.yaml`: a mapping of the keys in FORMATS.md, each checked like a column.
enum SettingsReader {
  static func read(path: String, display: String, log: DiagnosticLog) -> Settings {
    var settings = Settings()
    let at = { (mark: YAMLNode.Mark?) in mark.location(in: display) }
    let root = YAMLReader.load(path: path, display: display, log: log)
    guard let root else { return settings }
    guard case .mapping(let pairs, _) = root else {
      if case .scalar(_, _, true) = root { return settings }
      log.error(at(root.mark), "expected a mapping of settings, found \(root.kindName)")
      return settings
    }
    for (key, keyMark, value) in pairs {
      func scalar() -> String? {
        guard case .scalar(let text, _, let isNull) = value else {
          log.error(at(value.mark), field: key, "expected a single value, found \(value.kindName)")
          return nil
        }
        return isNull ? nil : text
      }
      func date() -> CalendarDate? {
        guard let text = scalar() else { return nil }
        guard let date = CalendarDate.parse(text) else {
          log.error(
            at(value.mark), field: key, "expected a real date YYYY-MM-DD, found \(shown(text))")
          return nil
        }
        return date
      }
      func word<E: RawRepresentable & CaseIterable>(_ fallback: E) -> E where E.RawValue == String {
        guard let text = scalar() else { return fallback }
        guard let value = E(rawValue: text) else {
          let list = E.allCases.map(\.rawValue).joined(separator: ", ")
          log.error(at(value.mark), field: key, "expected one of \(list), found \(shown(text))")
          return fallback
        }
        return value
      }
      switch key {
      case "run_date": settings.runDate = date()
      case "through": settings.through = date()
      case "legal_entity": if let text = scalar() { settings.legalEntity = LegalEntityID(text) }
      case "country":
        if let text = scalar() {
          if text.count == 2, text.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            settings.country = text
          } else {
            log.error(
              at(value.mark), field: key,
              "expected an ISO 3166 country code such as DE, found \(shown(text))")
          }
        }
      case "corrective_invoice_label_from": settings.correctiveInvoiceLabelFrom = date()
      case "drift": settings.drift = word(settings.drift)
      case "rounding": settings.rounding = word(settings.rounding)
      case "accounts": if let text = scalar() { settings.accounts = text }
      case "journals":
        switch value {
        case .scalar(let text, _, let isNull): settings.journals = isNull ? [] : [text]
        case .sequence(let items, _):
          settings.journals = items.compactMap { item in
            guard case .scalar(let text, _, false) = item else {
              log.error(at(item.mark), field: key, "expected a layout name, found \(item.kindName)")
              return nil
            }
            return text
          }
        case .mapping:
          log.error(at(value.mark), field: key, "expected a list of layout names, found a mapping")
        }
      default:
        log.warning(at(keyMark), field: key, "unknown setting, ignored")
      }
    }
    return settings
  }
}
