// Events of the streaming document splitter. Standard library only.

/// An event reported by `JSONDocumentSplitter`.
public enum JSONSplitEvent: Sendable, Equatable {
  /// A top-level member whose value is not streamed; the span covers the value's bytes.
  case member(key: String, value: JSONValue, byteOffset: Int, byteLength: Int, position: TextPosition)
  /// The start of a streamed array member; `byteOffset` is the `[`.
  case arrayStart(key: String, byteOffset: Int, position: TextPosition)
  /// One element of a streamed array: its exact bytes and its value or its own syntax error.
  ///
  /// `index` is 0-based. A failure's location is absolute in the stream; `JSONMember.keyOffset`
  /// values inside a successful value are relative to `bytes`.
  case element(
    index: Int, bytes: [UInt8], byteOffset: Int, position: TextPosition, result: Result<JSONValue, JSONSyntaxError>)
  /// The end of a streamed array, with its element count.
  case arrayEnd(key: String, count: Int)
}
