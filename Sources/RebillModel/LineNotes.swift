/// The fields of an invoice line that few lines carry: its title, the line it corrects, and
/// its document's kind and whether that corrects. The inbox's confirmed invoices rarely have
/// any; the documents a run makes have them all. Held once in the name store (never freed or
/// moved), a line holds the address (`InvoiceLine.notes`): 8 bytes in place of 50, and lines
/// with the same notes share them, so that equal notes have one address.
@usableFromInline struct LineNotes {
  @usableFromInline var title: Name?
  @usableFromInline var corrects: InvoiceLineRef?
  @usableFromInline var kind: DocumentKind?
  @usableFromInline var hasCorrections: Bool?

  @inlinable init(
    title: Name? = nil, corrects: InvoiceLineRef? = nil, kind: DocumentKind? = nil,
    hasCorrections: Bool? = nil
  ) {
    self.title = title
    self.corrects = corrects
    self.kind = kind
    self.hasCorrections = hasCorrections
  }

  /// Seven words: the title's two (zeros when none: a name's second word never is zero), the
  /// corrected invoice's two and line's two (likewise), then the kind (0 none, 1 invoice, 2
  /// credit note) and, at bit 8, whether the document corrects (0 none, 1 no, 2 yes).
  typealias Words = (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)

  /// The notes stored at `address` (an `InvoiceLine.notes` that is not 0).
  init(at address: UInt) {
    title = Self.title(at: address)
    corrects = Self.corrects(at: address)
    kind = Self.kind(at: address)
    hasCorrections = Self.hasCorrections(at: address)
  }

  // Each field read alone from the notes at an address (0: none): a line's title or
  // corrected line is read for every line written or posted.

  @inlinable static func title(at address: UInt) -> Name? { name(at: address, word: 0) }

  @inlinable static func corrects(at address: UInt) -> InvoiceLineRef? {
    guard let invoice = name(at: address, word: 2) else { return nil }
    return InvoiceLineRef(invoice: InvoiceID(invoice), line: name(at: address, word: 4)!)
  }

  @inlinable static func kind(at address: UInt) -> DocumentKind? {
    let kind = flag(at: address, byte: 0)
    return kind == 0 ? nil : kind == 1 ? .invoice : .creditNote
  }

  @inlinable static func hasCorrections(at address: UInt) -> Bool? {
    let flag = flag(at: address, byte: 1)
    return flag == 0 ? nil : flag == 2
  }

  /// The name in words `word` and `word + 1`.
  @inlinable static func name(at address: UInt, word: Int) -> Name? {
    guard address != 0 else { return nil }
    let words = UnsafeRawPointer(bitPattern: address)! + 16 + 8 * word
    let high = words.load(fromByteOffset: 8, as: UInt64.self)
    return high == 0 ? nil : Name(low: words.load(as: UInt64.self), high: high)
  }

  /// Byte `byte` of the last word.
  @inlinable static func flag(at address: UInt, byte: Int) -> UInt8 {
    guard address != 0 else { return 0 }
    return UnsafeRawPointer(bitPattern: address)!.load(
      fromByteOffset: 16 + 48 + byte, as: UInt8.self)
  }

  @inlinable var isEmpty: Bool {
    title == nil && corrects == nil && kind == nil && hasCorrections == nil
  }

  /// The address of these notes in the name store; 0 when there are none. Inlinable, so that
  /// a line read without notes (nearly every one) makes no call.
  @inlinable var address: UInt { isEmpty ? 0 : interned() }

  /// Stores the notes in the name store the first time, and gives their address.
  @usableFromInline func interned() -> UInt {
    func words(_ name: Name?) -> (UInt64, UInt64) { name.map { ($0.low, $0.high) } ?? (0, 0) }
    let title = words(title)
    let invoice = words(corrects?.invoice.name)
    let line = words(corrects?.line)
    let kind: UInt64 = kind.map { $0 == .invoice ? 1 : 2 } ?? 0
    let corrects: UInt64 = hasCorrections.map { $0 ? 2 : 1 } ?? 0
    var all: Words = (title.0, title.1, invoice.0, invoice.1, line.0, line.1, kind | corrects << 8)
    let hash = withUnsafeBytes(of: all) { words in
      words.bindMemory(to: UInt64.self).reduce(0) { KeyHash.combine($0, $1) }
    }
    let name = withUnsafeBytes(of: &all) { NameStore.shared.intern($0, hash: hash) }
    return UInt(name.low)
  }
}
