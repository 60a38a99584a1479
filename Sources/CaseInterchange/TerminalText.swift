extension String {
  /// The string with C0 and C1 controls, DEL, bidi controls and line/paragraph separators written as `\u{XXXX}`, so
  /// text that came from an input (a header cell, a path, a label) can neither forge a line on stderr or in a log
  /// nor drive the terminal (CWE-117, CWE-150). Every line CaseBridge writes to stderr goes through this.
  public var terminalEscaped: String {
    var needed = false
    for u in unicodeScalars where Self.needsEscape(u.value) {
      needed = true
      break
    }
    guard needed else { return self }
    var out = ""
    out.reserveCapacity(utf8.count + 16)
    for u in unicodeScalars {
      if Self.needsEscape(u.value) {
        out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
      } else {
        out.unicodeScalars.append(u)
      }
    }
    return out
  }

  private static func needsEscape(_ v: UInt32) -> Bool {
    if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 { return true }
    return (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
  }
}
