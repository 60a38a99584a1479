/// A TCP/UDP port number in 1...65535.
///
/// Port 0 is not a usable source port, so it is rejected. Behind carrier-grade NAT the source
/// port is part of a subscriber's identity, which is why it has its own strict type.
public struct Port: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The port number, never 0.
  public let value: UInt16

  /// Creates a port from an integer, or returns nil outside 1...65535.
  /// - Parameter value: The port number.
  public init?(_ value: Int) {
    guard value >= 1 && value <= 65535 else { return nil }
    self.value = UInt16(value)
  }

  /// Parses a port written in plain decimal: no sign, no leading zeros, no whitespace.
  /// - Parameter text: The port text, e.g. `"443"`.
  /// - Returns: The port, or a ``FieldError`` with rule `"port.invalid"`.
  public static func parse(_ text: String) -> Result<Port, FieldError> {
    var copy = text
    return copy.withUTF8 { buf -> Result<Port, FieldError> in
      func fail(_ message: String) -> Result<Port, FieldError> {
        .failure(FieldError(rule: "port.invalid", message: message))
      }
      if buf.isEmpty { return fail("port is empty") }
      var value = 0
      for b in buf {
        guard ASCIIByte.isDigit(b) else {
          return fail("port contains a character that is not a decimal digit")
        }
        value = value * 10 + Int(b &- ASCIIByte.zero)
        if value > 65535 { return fail("port is out of range 1-65535") }
      }
      if buf[0] == ASCIIByte.zero {
        return buf.count == 1 ? fail("port is out of range 1-65535") : fail("port has a leading zero")
      }
      return .success(Port(uncheckedValue: UInt16(value)))
    }
  }

  private init(uncheckedValue: UInt16) { self.value = uncheckedValue }

  /// Orders ports by number.
  public static func < (lhs: Port, rhs: Port) -> Bool { lhs.value < rhs.value }

  /// The port in decimal.
  public var description: String { String(value) }
}
