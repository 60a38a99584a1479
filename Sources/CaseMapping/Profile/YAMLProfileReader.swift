import CaseJSON
import Yams

/// Reads a YAML profile into the same `JSONValue` tree the JSON loader checks, so both spellings of a profile obey
/// one set of rules. Each member's `keyOffset` is an index into the returned positions, so errors name the YAML
/// line. Anchors and aliases are refused (no expansion of any kind), and so are duplicate keys.
enum YAMLProfileReader {
  static func read(_ bytes: [UInt8], source: String) throws(ProfileError) -> (JSONValue, [TextPosition]) {
    guard bytes.count <= 4 << 20 else {
      throw ProfileError(source: source, line: 1, column: 1, message: "profile is larger than 4 MiB", rule: "profile.invalid")
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw ProfileError(source: source, line: 1, column: 1, message: "profile is not UTF-8", rule: "profile.syntax")
    }
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch let e as YamlError {
      let (line, column) = position(of: e)
      throw ProfileError(source: source, line: line, column: column, message: "not valid YAML", rule: "profile.syntax")
    } catch {
      throw ProfileError(source: source, line: 1, column: 1, message: "not valid YAML", rule: "profile.syntax")
    }
    guard let node else { throw ProfileError(source: source, line: 1, column: 1, message: "the profile is empty", rule: "profile.syntax") }
    var marks: [TextPosition] = [.start]
    var state = WalkState()
    let value = try convert(node, &marks, &state, source: source, depth: 0)
    return (value, marks)
  }

  static func position(of e: YamlError) -> (Int, Int) {
    switch e {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
      return (mark.line, mark.column)
    default:
      return (1, 1)
    }
  }

  static func mark(_ n: Node) -> TextPosition {
    guard let m = n.mark else { return .start }
    return TextPosition(line: m.line, column: m.column)
  }

  /// What the walk has seen: node positions (an alias reuses its anchor's node, so a position seen twice is an
  /// alias) and a node budget, so no YAML can make the walk expand anything.
  struct WalkState {
    var positions = Set<Int>()
    var nodes = 0
  }

  static func convert(_ n: Node, _ marks: inout [TextPosition], _ state: inout WalkState, source: String, depth: Int) throws(ProfileError) -> JSONValue {
    let here = mark(n)
    guard depth < 32 else {
      throw ProfileError(source: source, line: here.line, column: here.column, message: "nested too deeply", rule: "profile.invalid")
    }
    state.nodes += 1
    guard state.nodes <= 100_000 else {
      throw ProfileError(source: source, line: here.line, column: here.column, message: "more than 100,000 YAML nodes", rule: "profile.invalid")
    }
    if n.mark != nil {
      guard state.positions.insert(here.line << 24 | here.column).inserted else {
        throw ProfileError(source: source, line: here.line, column: here.column, message: "YAML anchors and aliases are not allowed in profiles", rule: "profile.invalid")
      }
    }
    switch n {
    case .alias:
      throw ProfileError(source: source, line: here.line, column: here.column, message: "YAML aliases are not allowed in profiles", rule: "profile.invalid")
    case .scalar(let s):
      if s.style == .singleQuoted || s.style == .doubleQuoted || s.style == .literal || s.style == .folded {
        return .string(s.string)
      }
      switch s.string {
      case "true": return .bool(true)
      case "false": return .bool(false)
      case "null", "~", "": return .null
      default:
        let u = Array(s.string.utf8)
        let digits = u.first == 0x2D ? u.dropFirst() : u[...]
        if !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = JSONNumber(literal: s.string) {
          return .number(n)
        }
        return .string(s.string)
      }
    case .sequence(let seq):
      var items: [JSONValue] = []
      for item in seq { items.append(try convert(item, &marks, &state, source: source, depth: depth + 1)) }
      return .array(items)
    case .mapping(let map):
      var members: [JSONMember] = []
      var seen = Set<String>()
      for (k, v) in map {
        guard case .scalar(let ks) = k else {
          let p = mark(k)
          throw ProfileError(source: source, line: p.line, column: p.column, message: "mapping keys must be plain text", rule: "profile.invalid")
        }
        let p = mark(k)
        guard seen.insert(ks.string).inserted else {
          throw ProfileError(source: source, line: p.line, column: p.column, message: "duplicate key '\(ks.string)'", rule: "profile.invalid")
        }
        let index = marks.count
        marks.append(p)
        members.append(JSONMember(key: ks.string, value: try convert(v, &marks, &state, source: source, depth: depth + 1), keyOffset: index))
      }
      return .object(JSONObject(members))
    }
  }
}
