/// The version of an Internet Protocol address.
public enum IPVersion: Int, Sendable, Hashable, Codable {
  /// IPv4: 32-bit addresses written as a dotted quad.
  case v4 = 4
  /// IPv6: 128-bit addresses written as colon-separated hex groups.
  case v6 = 6
}
