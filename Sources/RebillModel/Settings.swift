/// `rebill.yaml` at the inbox root. Command-line options override these.
public struct Settings: Hashable, Sendable {
  /// The date of the documents a run creates; nil: a run that would create one is an error.
  public var runDate: CalendarDate?
  /// Cut-off for automatic time-and-material invoicing; nil: none.
  public var through: CalendarDate?
  public var legalEntity: LegalEntityID
  /// ISO 3166 alpha-2.
  public var country: String
  /// From this date a `DE` entity titles its credit notes *Corrective invoice*.
  public var correctiveInvoiceLabelFrom: CalendarDate?
  public var drift: DriftMode
  public var rounding: RoundingMode
  /// Names of layout files in `mappings/journals/`.
  public var journals: [String]
  /// The account mapping file.
  public var accounts: String

  public init(
    runDate: CalendarDate? = nil, through: CalendarDate? = nil,
    legalEntity: LegalEntityID = LegalEntityID("LE"), country: String = "US",
    correctiveInvoiceLabelFrom: CalendarDate? = nil, drift: DriftMode = .correct,
    rounding: RoundingMode = .halfUp, journals: [String] = ["generic"],
    accounts: String = "mappings/accounts.yaml"
  ) {
    self.runDate = runDate
    self.through = through
    self.legalEntity = legalEntity
    self.country = country
    self.correctiveInvoiceLabelFrom = correctiveInvoiceLabelFrom
    self.drift = drift
    self.rounding = rounding
    self.journals = journals
    self.accounts = accounts
  }
}

/// Everything an inbox holds, typed and validated: the input of a run.
public struct Inbox: Hashable, Sendable {
  public var settings = Settings()
  /// The files read, as shown in messages (INBOX joined with the path); `RecordOrigin.file`
  /// indexes them.
  public var files: [String] = []
  public var contractLines: [ContractLine] = []
  public var funding: [FundingShare] = []
  public var milestones: [Milestone] = []
  public var retainers: [Retainer] = []
  public var entries: [Entry] = []
  public var orderLines: [OrderLine] = []
  public var invoiceLines: [InvoiceLine] = []
  public var corrections: [CorrectionInstruction] = []

  public init() {}

  /// Where a record was read, for messages.
  public func location(_ origin: RecordOrigin) -> SourceLocation {
    let file =
      files.indices.contains(Int(origin.file)) ? files[Int(origin.file)] : "(made by rebill)"
    return SourceLocation(
      file: file, line: Int(origin.line), column: origin.column > 0 ? Int(origin.column) : nil)
  }
}
