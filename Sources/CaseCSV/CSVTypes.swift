// Public value types of the CSV tokenizer. Standard library only.

public import CaseInterchange

/// How a delimited-text input is written.
public struct CSVDialect: Sendable, Hashable {
  /// The field delimiter: an ASCII byte other than the quote, CR, LF and NUL (`,` `;` TAB `|` ...).
  public var delimiter: UInt8 = 0x2C
  /// The quote: an ASCII byte other than the delimiter, CR, LF and NUL.
  public var quote: UInt8 = 0x22
  /// Whether the first non-blank record is a header naming the columns.
  public var hasHeader = true
  /// The declared encoding. nil: UTF-8, or UTF-16 LE/BE when a BOM says so. Windows-1252, Latin-1 and BOM-less
  /// UTF-16 are used only when declared. A declaration that contradicts a BOM is `csv.encoding-mismatch`.
  public var encoding: TextEncoding? = nil
  /// Largest field in bytes of the original encoding: the bytes of an unquoted field, or the bytes between the
  /// quotes of a quoted one (doubled quotes counted as written). Over it: `csv.field-too-large` (record rejected).
  public var maxFieldBytes = 1 << 20
  /// Largest record in bytes of the original encoding, quoted line breaks included, its terminator excluded.
  /// Over it: `csv.record-too-large` (record rejected; see `CSVTokenizer` for where it ends). It also bounds the
  /// tokenizer's memory.
  public var maxRecordBytes = 16 << 20
  /// Largest number of columns (Excel's limit by default). A header with more is `csv.too-many-columns` (the input
  /// is rejected); so is a first data record with more when there is no header. Once the field count is known,
  /// records with more fields are `csv.extra-cell`, and the tokenizer never stores more than one field past the
  /// expected count, so a record of millions of empty fields cannot exhaust memory.
  public var maxColumns = 16_384
  /// Whether every data record must have the header's field count (the first record's without a header):
  /// `csv.extra-cell` / `csv.missing-cell` otherwise. False for files of several tables with their own headers
  /// (provider returns in sections), whose reader checks each table's count itself.
  public var fixedFieldCount = true
  /// Creates the default dialect: comma, double quote, header, UTF-8 (or UTF-16 by BOM), 1 MiB fields, 16 MiB
  /// records, 16,384 columns.
  public init() {}
}

/// One field of a tokenized record.
public struct CSVField: Sendable, Hashable {
  /// The decoded value: quotes removed, doubled quotes un-doubled, quoted line breaks kept exactly as written
  /// (CRLF stays CRLF). Never repaired: a field that cannot be decoded rejects its record.
  public var value: String
  /// Offset in the original encoding of the field's first byte (the opening quote when quoted).
  public var byteOffset: Int
  /// Length in bytes of the field as written, quotes included, delimiter excluded.
  public var byteLength: Int
  /// 1-based column of the field's first character within its line, counted in Unicode scalars (a BOM is not
  /// counted).
  public var column: Int
  /// 1-based line where the field starts.
  public var line: Int
  /// Whether the field was quoted.
  public var wasQuoted: Bool

  /// Creates a field.
  public init(value: String, byteOffset: Int, byteLength: Int, column: Int, line: Int, wasQuoted: Bool) {
    self.value = value
    self.byteOffset = byteOffset
    self.byteLength = byteLength
    self.column = column
    self.line = line
    self.wasQuoted = wasQuoted
  }
}

/// A tokenized record.
public struct CSVRow: Sendable, Hashable {
  /// 0-based index of the data record (rows and rejected records count; the header and blank rows do not).
  /// The header row has index -1.
  public var index: Int
  /// The fields, in order.
  public var fields: [CSVField]
  /// Offset of the record's first byte in the original encoding.
  public var byteOffset: Int
  /// Length in bytes of the record, its terminator (CR, LF or CRLF) included.
  public var byteLength: Int
  /// 1-based line where the record starts.
  public var line: Int

  /// Creates a row.
  public init(index: Int, fields: [CSVField], byteOffset: Int, byteLength: Int, line: Int) {
    self.index = index
    self.fields = fields
    self.byteOffset = byteOffset
    self.byteLength = byteLength
    self.line = line
  }

  /// The decoded values, in order.
  public var values: [String] { fields.map(\.value) }
}

/// What the tokenizer found next. The byte spans of all events of an input (the BOM, the header, rows, rejected
/// records and blank rows) tile the input exactly: no gap, no overlap.
public enum CSVEvent: Sendable, Hashable {
  /// The header record (when `CSVDialect.hasHeader`); its span is an ignored span.
  case header(CSVRow)
  /// A data record that tokenized and decoded cleanly and has the expected number of fields.
  case row(CSVRow)
  /// A data record that is not valid CSV, with the exact span of its original bytes, terminator included, and at
  /// least one diagnostic (severity error).
  case rejected(index: Int, byteOffset: Int, byteLength: Int, line: Int, diagnostics: [Diagnostic])
  /// A blank row: a line terminator with nothing before it. A line holding only spaces or only delimiters is
  /// *not* blank: it is an ordinary record (and usually fails the field-count check).
  case blank(byteOffset: Int, byteLength: Int, line: Int)
  /// A byte-order mark at the start of the input (3 bytes for UTF-8, 2 for UTF-16), stripped before the header is
  /// read.
  case bom(byteLength: Int)

  /// The event's span in the original bytes (`(0, n)` for a BOM).
  public var span: (byteOffset: Int, byteLength: Int) {
    switch self {
    case .header(let r), .row(let r): (r.byteOffset, r.byteLength)
    case .rejected(_, let o, let l, _, _): (o, l)
    case .blank(let o, let l, _): (o, l)
    case .bom(let l): (0, l)
    }
  }
}
