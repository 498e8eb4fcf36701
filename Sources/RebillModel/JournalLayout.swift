/// How one ERP wants its journal file (`mappings/journals/NAME.yaml`): read at run time, so
/// that a user adds an ERP by adding a file.
public struct JournalLayout: Hashable, Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    /// Delimited rows, one posting a row (or one debit/credit pair a row).
    case table
    /// An hledger journal.
    case hledger
    /// A beancount ledger.
    case beancount
  }

  /// How amounts are written.
  public enum AmountStyle: Hashable, Sendable {
    /// `{debit}` and `{credit}` columns, one of them empty.
    case debitCredit
    /// One signed `{amount}`: debit positive, credit negative.
    case signed
    /// An unsigned `{amount}` with `{flag}`: these words for debit and credit (DATEV `S`/`H`).
    case flag(debit: String, credit: String)
  }

  public enum Quoting: String, Sendable, CaseIterable {
    /// Only fields holding the delimiter, a quote or a line break.
    case minimal
    /// Every text field (numbers left bare), as DATEV wants.
    case text
    case all
  }

  public enum Encoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
  }

  /// A column: its caption, and its value, a template of `{field}`s and literal text.
  public struct Column: Hashable, Sendable {
    public var name: String
    public var value: String
    /// Written on the first row of an entry only (entry fields in Intacct, Odoo).
    public var firstRowOnly: Bool

    public init(name: String, value: String, firstRowOnly: Bool = false) {
      self.name = name
      self.value = value
      self.firstRowOnly = firstRowOnly
    }
  }

  public var name: String
  /// The vendor page the columns follow.
  public var source: String
  public var kind: Kind
  /// The file's extension: `csv`, `journal`, `beancount`.
  public var fileExtension: String
  public var delimiter: String
  public var quoting: Quoting
  public var lineEnding: String
  public var encoding: Encoding
  public var byteOrderMark: Bool
  /// Records written before the caption row, each a list of templates (DATEV's `EXTF`).
  public var preamble: [[String]]
  /// Whether the caption row (the column names) is written.
  public var header: Bool
  /// Tokens `YYYY`, `YY`, `MM`, `DD`, anything else literal: `DDMM`, `MM/DD/YYYY`.
  public var dateFormat: String
  public var decimalSeparator: String
  /// Decimals written; nil: the currency's.
  public var decimals: Int?
  public var amountStyle: AmountStyle
  /// One row per debit/credit pair against the entry's contra account (DATEV's
  /// `Konto`/`Gegenkonto`), rather than one row per posting.
  public var pairs: Bool
  public var columns: [Column]
  /// Which name of an account the plain-text ledgers use: `ledger`, `code` or `name`.
  public var accountField: String

  public init(
    name: String, source: String, kind: Kind = .table, fileExtension: String = "csv",
    delimiter: String = ",", quoting: Quoting = .minimal, lineEnding: String = "\n",
    encoding: Encoding = .utf8, byteOrderMark: Bool = false, preamble: [[String]] = [],
    header: Bool = true, dateFormat: String = "YYYY-MM-DD", decimalSeparator: String = ".",
    decimals: Int? = nil, amountStyle: AmountStyle = .debitCredit, pairs: Bool = false,
    columns: [Column] = [], accountField: String = "ledger"
  ) {
    self.name = name
    self.source = source
    self.kind = kind
    self.fileExtension = fileExtension
    self.delimiter = delimiter
    self.quoting = quoting
    self.lineEnding = lineEnding
    self.encoding = encoding
    self.byteOrderMark = byteOrderMark
    self.preamble = preamble
    self.header = header
    self.dateFormat = dateFormat
    self.decimalSeparator = decimalSeparator
    self.decimals = decimals
    self.amountStyle = amountStyle
    self.pairs = pairs
    self.columns = columns
    self.accountField = accountField
  }

  /// The fields a table layout's templates may name, in `{braces}`.
  public static let rowFields: Set<String> = [
    "entry", "date", "document", "description", "line", "account", "account_name",
    "account_ledger", "contra_account", "contra_account_name", "debit", "credit", "amount",
    "flag", "currency", "memo", "customer", "contract", "project", "source", "legal_entity",
    "batch",
  ]
  /// The fields a preamble record may name.
  public static let preambleFields: Set<String> = [
    "created", "period_from", "period_to", "fiscal_year_start", "currency", "legal_entity",
    "batch",
  ]

  /// `generic.csv`, `hledger.journal`.
  public var fileName: String { "\(name).\(fileExtension)" }
}
