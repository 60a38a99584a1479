import CaseBridge
import Logging
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A swift-log handler writing one JSON object per line to stderr. Every string is JSON-escaped, so input cannot
/// forge log lines (CWE-117).
struct JSONLogHandler: LogHandler {
  let label: String
  var logLevel: Logger.Level = .info
  var metadata: Logger.Metadata = [:]

  init(label: String) { self.label = label }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let level = event.level, message = event.message, explicit = event.metadata
    var members = [
      JSONMember(key: "time", value: .string(clockNow().iso8601)),
      JSONMember(key: "level", value: .string(level.rawValue)),
      JSONMember(key: "label", value: .string(label)),
      JSONMember(key: "message", value: .string(message.description)),
    ]
    let merged = metadata.merging(explicit ?? [:]) { $1 }
    for (k, v) in merged.sorted(by: { $0.key < $1.key }) {
      members.append(JSONMember(key: k, value: .string(v.description)))
    }
    var w = JSONWriter()
    w.write(.object(JSONObject(members)))
    w.bytes.append(0x0A)
    StandardError.emit(String(decoding: w.bytes, as: UTF8.self))
  }
}

/// A swift-log handler writing one text line per event to stderr, in swift-log's `StreamLogHandler` layout
/// (`time level label: [key=value ...] message`), with every string passed through `terminalEscaped`: a path or a
/// header name from an input cannot forge a log line or drive the terminal (CWE-117).
struct TextLogHandler: LogHandler {
  let label: String
  var logLevel: Logger.Level = .info
  var metadata: Logger.Metadata = [:]

  init(label: String) { self.label = label }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    let merged = metadata.merging(event.metadata ?? [:]) { $1 }
    var line = "\(clockNow().iso8601) \(event.level.rawValue) \(label.terminalEscaped):"
    if !merged.isEmpty {
      line += " " + merged.sorted { $0.key < $1.key }
        .map { "\($0.key.terminalEscaped)=\($0.value.description.terminalEscaped)" }.joined(separator: " ")
    }
    line += " " + event.message.description.terminalEscaped + "\n"
    StandardError.emit(line)
  }
}
