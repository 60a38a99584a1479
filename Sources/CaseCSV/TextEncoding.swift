// Text encodings the CSV tokenizer reads. Standard library only.

/// A character encoding of a delimited-text input.
///
/// All offsets the tokenizer reports are in bytes of the *original* encoding, so quarantined slices can be cut from
/// the input unchanged, whatever the encoding.
public enum TextEncoding: String, Sendable, Hashable, CaseIterable {
  /// UTF-8 (the default; a UTF-8 BOM is allowed and reported).
  case utf8 = "utf-8"
  /// UTF-16 little endian (spreadsheet "Unicode text" with BOM FF FE; BOM-less only when declared).
  case utf16LE = "utf-16le"
  /// UTF-16 big endian (BOM FE FF; BOM-less only when declared).
  case utf16BE = "utf-16be"
  /// Windows code page 1252 (WHATWG table for 0x80-0x9F); the five bytes it leaves undefined
  /// (0x81 0x8D 0x8F 0x90 0x9D) are rejected as `csv.invalid-byte`.
  case windows1252 = "windows-1252"
  /// ISO 8859-1: every byte is the scalar of the same value (0x80-0x9F are the C1 controls, e.g. 0x85 is U+0085
  /// NEL, which is *data* here, never a row terminator). Unlike WHATWG, "latin1" is not mapped to windows-1252:
  /// declare `windows-1252` when that is meant.
  case latin1 = "iso-8859-1"

  /// Looks an encoding up by a configured name (ASCII case-insensitive, exact otherwise).
  ///
  /// Accepted names: `utf-8` `utf8`; `utf-16le` `utf16le`; `utf-16be` `utf16be`; `windows-1252` `cp1252`
  /// `win-1252` `win1252` `x-cp1252`; `iso-8859-1` `iso8859-1` `iso_8859-1` `latin1` `latin-1` `l1`.
  ///
  /// `utf-16` without a byte order returns nil on purpose: UTF-16 with a BOM is detected without any declaration
  /// (leave `CSVDialect.encoding` nil), and BOM-less UTF-16 needs its byte order declared.
  public static func named(_ s: String) -> TextEncoding? {
    switch s.lowercased() {
    case "utf-8", "utf8": .utf8
    case "utf-16le", "utf16le": .utf16LE
    case "utf-16be", "utf16be": .utf16BE
    case "windows-1252", "cp1252", "win-1252", "win1252", "x-cp1252": .windows1252
    case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1": .latin1
    default: nil
    }
  }

  /// Bytes per code unit (1, or 2 for UTF-16).
  var unitWidth: Int {
    switch self {
    case .utf16LE, .utf16BE: 2
    default: 1
    }
  }
}
