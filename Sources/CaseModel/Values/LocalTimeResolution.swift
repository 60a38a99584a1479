/// How a local wall-clock time maps onto a zone's time line.
public enum LocalTimeResolution: Sendable, Hashable {
  /// Exactly one instant has this local time, at the given offset (seconds east of UTC).
  case unique(offsetSeconds: Int)
  /// The local time does not exist: the clocks jumped over it (daylight-saving gap).
  case gap
  /// The local time occurred twice (daylight-saving overlap); the earlier instant used the
  /// first offset, the later instant the second.
  case overlap(earlierOffsetSeconds: Int, laterOffsetSeconds: Int)
}

/// Determines whether a local time is unique, skipped (gap) or repeated (overlap) in a zone.
///
/// The candidate offsets are those in effect one day before, one day after and at the naive
/// instant (the local time read as UTC); an offset `o` is kept when the zone really uses `o` at
/// `local - o`. No candidate surviving means a gap; two mean an overlap. This detects every
/// transition that is more than a day away from any other, which covers all real DST rules.
/// - Parameters:
///   - local: The wall-clock time.
///   - zone: The zone's rules.
/// - Returns: The resolution; an overlap lists the offset of the earlier instant first.
public func resolveLocalTime(_ local: LocalDateTime, in zone: any ZoneRules) -> LocalTimeResolution {
  let naive = local.secondsAsIfUTC
  let candidates = [
    zone.offsetSeconds(atUTC: naive - 86_400),
    zone.offsetSeconds(atUTC: naive),
    zone.offsetSeconds(atUTC: naive + 86_400),
  ]
  var valid: [Int] = []
  for o in candidates where !valid.contains(o) {
    if zone.offsetSeconds(atUTC: naive - Int64(o)) == o { valid.append(o) }
  }
  switch valid.count {
  case 0:
    return .gap
  case 1:
    return .unique(offsetSeconds: valid[0])
  default:
    // A larger offset east means an earlier UTC instant for the same wall-clock time.
    return .overlap(earlierOffsetSeconds: valid.max()!, laterOffsetSeconds: valid.min()!)
  }
}
