import ArgumentParser
import CaseBridge
import Foundation
import Synchronization
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The help of `--progress` (convert, validate, import, batch).
let progressHelp = ArgumentHelp(
  "One updating progress line per input on stderr: auto (when stderr is a terminal, --log-format is text, TERM is set and not 'dumb', and CI is unset), always, or never.",
  valueName: "auto|always|never")

/// Whether a run shows progress, from `--progress` (a plain string option: no option type of its own, so parsing the
/// command line instantiates nothing new in the runtime's metadata caches, which the hot path's lookups share).
/// - Throws: `UsageError` for another value.
func progressEnabled(_ value: String, logFormat: String) throws -> Bool {
  switch value {
  case "always": return true
  case "never": return false
  case "auto": return progressAutomatic(logFormat: logFormat)
  default: throw UsageError(message: "--progress must be auto, always or never")
  }
}

/// `auto`: an interactive terminal only — never into a pipe or file, under cron (no TERM) or in CI.
func progressAutomatic(logFormat: String) -> Bool {
  guard logFormat == "text", isatty(2) == 1 else { return false }
  let term = getenv("TERM").map { String(cString: $0) } ?? ""
  if term.isEmpty || term == "dumb" { return false }
  if let ci = getenv("CI"), ci.pointee != 0 { return false }
  return true
}

/// Runs a pipeline, with a progress line on stderr when `enabled`; the line is cleared before this returns.
func runPipeline(_ pipeline: Pipeline, progress enabled: Bool) -> RunReport {
  guard enabled else { return pipeline.run() }
  let renderer = ProgressRenderer(inputs: pipeline.options.inputs)
  pipeline.progress = renderer.progress
  renderer.start()
  defer { renderer.stop() }
  return pipeline.run()
}

// MARK: stderr

/// Every write to stderr goes through here (messages, log lines, the progress line), under one lock: a line
/// written while a progress line is shown clears it first (`\r`, erase line), so lines never interleave with it;
/// the renderer draws it again at its next tick.
enum StandardError {
  /// Carriage return, then erase the whole line.
  static let clearLine = "\r\u{1B}[2K"
  /// Whether a progress line is on the terminal now.
  private static let shown = Mutex(false)

  /// Writes `text` (already escaped), after clearing a progress line.
  static func emit(_ text: String) {
    shown.withLock { shown in
      if shown {
        writeAll(clearLine)
        shown = false
      }
      writeAll(text)
    }
  }

  /// Replaces the progress line with `line` (escaped, without a line break).
  static func drawProgress(_ line: String) {
    shown.withLock { shown in
      writeAll(clearLine + line)
      shown = true
    }
  }

  /// Clears the progress line, if one is shown.
  static func clearProgress() {
    shown.withLock { shown in
      if shown {
        writeAll(clearLine)
        shown = false
      }
    }
  }

  private static func writeAll(_ text: String) {
    var text = text
    text.withUTF8 { buffer in
      var done = 0
      while done < buffer.count {
        let n = write(2, buffer.baseAddress! + done, buffer.count - done)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }  // stderr gone: nothing to tell
        done += n
      }
    }
  }
}

/// The columns of the terminal on stderr, nil when it is not one (or does not say).
func terminalWidth() -> Int? {
  var ws = winsize()
  let rc = withUnsafeMutablePointer(to: &ws) { ioctl(2, UInt(TIOCGWINSZ), $0) }
  return rc == 0 && ws.ws_col > 0 ? Int(ws.ws_col) : nil
}

// MARK: renderer

/// Draws `progress` as one line on stderr at most ten times a second, from a thread of its own (so the line keeps
/// moving while a large record is read). It shows counts, sizes, rates and the escaped input name only — never a
/// value from a record.
final class ProgressRenderer: @unchecked Sendable {
  /// What the pipeline updates.
  let progress = RunProgress()
  /// The inputs as given, escaped for the terminal.
  private let names: [String]
  private let condition = NSCondition()
  private var stopped = false
  private var exited = true

  /// Time between redraws.
  static let interval = 0.1

  init(inputs: [String]) {
    names = inputs.map(\.terminalEscaped)
  }

  /// Starts the drawing thread (no progress at all when a thread cannot be created).
  func start() {
    exited = false
    let attr = UnsafeMutablePointer<pthread_attr_t>.allocate(capacity: 1)
    pthread_attr_init(attr)
    defer {
      pthread_attr_destroy(attr)
      attr.deallocate()
    }
    pthread_attr_setdetachstate(attr, Int32(PTHREAD_CREATE_DETACHED))
    let context = Unmanaged.passRetained(self).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, attr, { context in
      Unmanaged<ProgressRenderer>.fromOpaque(context!).takeRetainedValue().loop()
      return nil
    }, context)
    if rc != 0 {
      Unmanaged<ProgressRenderer>.fromOpaque(context).release()
      exited = true
    }
  }

  /// Stops the thread, waits for it, and clears the line.
  func stop() {
    condition.lock()
    stopped = true
    condition.broadcast()
    while !exited { condition.wait() }
    condition.unlock()
    StandardError.clearProgress()
  }

  private func loop() {
    condition.lock()
    while !stopped {
      _ = condition.wait(until: Date(timeIntervalSinceNow: Self.interval))
      if stopped { break }
      condition.unlock()
      draw()
      condition.lock()
    }
    exited = true
    condition.broadcast()
    condition.unlock()
  }

  private func draw() {
    let s = progress.snapshot()
    guard s.phase != .idle else {
      StandardError.clearProgress()
      return
    }
    let elapsed = Double(RunProgress.monotonicNanoseconds() - s.started) / 1e9
    let line = Self.line(s, elapsed: elapsed, names: names, width: terminalWidth())
    StandardError.drawProgress(line)
  }

  /// The progress line: `[i/n] name: ` (several inputs), then for pass 1 `scanning 12.0 MiB/40.0 MiB, 85.3 MiB/s,
  /// ETA 0:01`, for pass 2 `12.0 MiB/40.0 MiB, 120345 read, 120000 accepted, 345 quarantined, 52.1k rec/s, ETA
  /// 0:08`. At most `width - 1` columns when the width is known: the name is shortened first (from the left, the end
  /// of a path says most), then the line is cut.
  static func line(_ s: RunProgress.Snapshot, elapsed: Double, names: [String], width: Int?) -> String {
    var parts: [String] = []
    let bytes = s.size.map { "\(humanBytes(s.bytes))/\(humanBytes($0))" } ?? humanBytes(s.bytes)
    let byteRate = elapsed > 0 ? Double(s.bytes) / elapsed : 0
    switch s.phase {
    case .scanning:
      parts = ["scanning " + bytes, humanBytes(Int(byteRate)) + "/s"]
    case .processing, .idle:
      parts = [
        bytes, "\(s.read) read", "\(s.accepted) accepted", "\(s.quarantined) quarantined",
        humanCount(elapsed > 0 ? Double(s.read) / elapsed : 0) + " rec/s",
      ]
    }
    if let size = s.size, elapsed >= 0.5, byteRate > 0 {
      parts.append("ETA " + clock(Double(max(0, size - s.bytes)) / byteRate))
    } else {
      parts.append("ETA --")
    }
    let stats = parts.joined(separator: ", ")
    guard names.count > 1 else { return fit(stats, width) }
    let prefix = "[\(s.input + 1)/\(names.count)] "
    let name = s.input < names.count ? names[s.input] : "?"
    if let width {
      let room = width - 1 - columns(prefix) - columns(stats) - 2
      if columns(name) > room {
        // Too narrow for the whole name: its tail after "...", or none at all.
        guard room >= 8 else { return fit(prefix + stats, width) }
        return fit(prefix + "..." + tail(name, columns: room - 3) + ": " + stats, width)
      }
    }
    return fit(prefix + name + ": " + stats, width)
  }

  /// `text` cut to `width - 1` columns (nothing cut when the width is unknown).
  static func fit(_ text: String, _ width: Int?) -> String {
    guard let width else { return text }
    var out = ""
    var used = 0
    for ch in text {
      let w = columns(String(ch))
      if used + w > width - 1 { break }
      out.append(ch)
      used += w
    }
    return out
  }

  /// The last characters of `text` that fit in `columns`.
  static func tail(_ text: String, columns limit: Int) -> String {
    var out: [Character] = []
    var used = 0
    for ch in text.reversed() {
      let w = columns(String(ch))
      if used + w > limit { break }
      out.append(ch)
      used += w
    }
    return String(out.reversed())
  }

  /// Terminal columns of `text`: East Asian wide and emoji scalars take two, combining marks and zero-width
  /// scalars none, everything else one (an estimate that errs on the wide side for unknown scripts).
  static func columns(_ text: String) -> Int {
    var n = 0
    for u in text.unicodeScalars {
      let v = u.value
      switch u.properties.generalCategory {
      case .nonspacingMark, .enclosingMark, .format: continue
      default: break
      }
      if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
        || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
        || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
      {
        n += 2
      } else {
        n += 1
      }
    }
    return n
  }

  /// Bytes in binary units: `512 B`, `12.3 KiB`, `40.0 MiB`, `1.2 GiB`.
  static func humanBytes(_ n: Int) -> String {
    if n < 1024 { return "\(n) B" }
    var v = Double(n)
    for unit in ["KiB", "MiB", "GiB", "TiB"] {
      v /= 1024
      if v < 1024 || unit == "TiB" { return oneDecimal(v) + " " + unit }
    }
    return "\(n) B"
  }

  /// A rate: `950`, `12.3k`, `1.2M`.
  static func humanCount(_ v: Double) -> String {
    if v < 1000 { return "\(Int(v))" }
    if v < 1_000_000 { return oneDecimal(v / 1000) + "k" }
    return oneDecimal(v / 1_000_000) + "M"
  }

  /// Seconds as `m:ss`, or `h:mm:ss` from an hour.
  static func clock(_ seconds: Double) -> String {
    let t = Int(seconds.rounded(.up).clamped(0, 359_999))
    let h = t / 3600, m = (t / 60) % 60, s = t % 60
    let ss = s < 10 ? "0\(s)" : "\(s)"
    if h > 0 { return "\(h):\(m < 10 ? "0" : "")\(m):\(ss)" }
    return "\(m):\(ss)"
  }

  private static func oneDecimal(_ v: Double) -> String {
    let tenths = Int((v * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
  }
}

extension Double {
  fileprivate func clamped(_ lo: Double, _ hi: Double) -> Double { Swift.min(Swift.max(self, lo), hi) }
}
