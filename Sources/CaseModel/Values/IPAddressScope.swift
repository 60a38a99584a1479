/// The address-space class of an IP address, after the IANA special-purpose registries.
///
/// The raw values are the stable words used in warnings and reports.
public enum IPAddressScope: String, Sendable, Hashable {
  /// Ordinary globally routable unicast space.
  case global
  /// Private-use space: RFC 1918 `10/8`, `172.16/12`, `192.168/16`; IPv6 unique local `fc00::/7`.
  case privateUse = "private"
  /// Shared address space for carrier-grade NAT, `100.64.0.0/10` (RFC 6598).
  case sharedCGNAT = "cgnat"
  /// Loopback: `127.0.0.0/8` and `::1`.
  case loopback
  /// Link-local: `169.254.0.0/16` and `fe80::/10`.
  case linkLocal = "link-local"
  /// Multicast: `224.0.0.0/4` and `ff00::/8`.
  case multicast
  /// The unspecified address: `0.0.0.0` and `::`.
  case unspecified
  /// Documentation ranges: RFC 5737 `192.0.2/24`, `198.51.100/24`, `203.0.113/24`;
  /// RFC 3849 `2001:db8::/32`; RFC 9637 `3fff::/20`.
  case documentation
  /// Other IANA special-purpose or unallocated space (`240/4`, `0/8`, `198.18/15`, `2001::/23`...).
  case reserved
  /// The limited broadcast address `255.255.255.255`.
  case broadcast
}
