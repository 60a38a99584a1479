import CLibXML2
import CaseInterchange
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One libxml2 error, copied out of libxml2. Its message text is never kept or shown (libxml2 text can quote
/// local files); only a few facts used to choose CaseBridge's own message are derived from it.
struct LibXMLIssue {
  var domain: Int32
  var code: Int32
  /// xmlErrorLevel: 1 warning, 2 error, 3 fatal.
  var level: UInt32
  var line: Int
  var column: Int
  /// The node the error is about (validation errors only); valid while the record's subtree is alive.
  var node: UnsafeMutableRawPointer?
  /// For XML_ERR_INVALID_CHAR: the bytes do not decode (rather than a decoded character XML forbids).
  var isDecodingFailure: Bool
  /// For XML_SCHEMAV_ELEMENT_CONTENT: children are missing (rather than an unexpected child).
  var isMissingChild: Bool
  /// For internal and memory errors: libxml2's own depth limit (256) or size limits (10 MB text, "huge" input).
  var isDepthLimit = false
  var isSizeLimit = false
  /// For attribute errors of the schema validator: the attribute's local name (a name, never a value).
  var attribute: String?
  /// For value errors of the schema validator: the offending value (only ever shown with --include-values).
  var value: String?
  /// For parser errors of UTF-8 input: the parser's byte offset when it raised the error.
  var byteOffset: Int?

  var isError: Bool { level >= 2 }
}

/// Collects the structured errors of one libxml2 context (a reader, a validation context, a schema parser).
final class LibXMLErrorSink {
  private(set) var issues: [LibXMLIssue] = []
  /// Errors beyond this many are counted, not kept.
  let capacity: Int
  private(set) var dropped = 0

  init(capacity: Int = 64) { self.capacity = capacity }

  var firstError: LibXMLIssue? { issues.first { $0.isError } }
  var hasErrors: Bool { dropped > 0 || issues.contains { $0.isError } }

  func removeAll() {
    issues.removeAll(keepingCapacity: true)
    dropped = 0
  }

  func add(_ e: xmlError) {
    guard issues.count < capacity else {
      dropped += 1
      return
    }
    var decoding = false
    var missing = false
    if let m = e.message {
      if e.code == Int32(XML_ERR_INVALID_CHAR.rawValue) {
        decoding = strstr(m, "UTF-8") != nil || strstr(m, "ncoding") != nil
      } else if e.code == Int32(XML_SCHEMAV_ELEMENT_CONTENT.rawValue) {
        missing = strstr(m, "Missing child") != nil
      }
    }
    var depthLimit = false
    var sizeLimit = false
    if (e.code == Int32(XML_ERR_INTERNAL_ERROR.rawValue) || e.code == Int32(XML_ERR_NO_MEMORY.rawValue)), let m = e.message {
      depthLimit = strstr(m, "depth") != nil
      sizeLimit = strstr(m, "uge") != nil || strstr(m, "too long") != nil || strstr(m, "too large") != nil
    }
    var attribute: String?
    if e.domain == Int32(XML_FROM_SCHEMASV.rawValue) {
      if e.code == Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_4.rawValue), let s = e.str1 {
        // The missing attribute's name: "{namespace}local" or "local".
        attribute = Self.localName(String(cString: s))
      } else if let m = e.message, let marker = strstr(m, "', attribute '") {
        // "Element 'x', attribute 'name': ..." names the attribute the error is about (the value comes later).
        let rest = String(cString: marker + 14)
        if let end = rest.firstIndex(of: "'") { attribute = Self.localName(String(rest[..<end])) }
      }
    }
    var value: String?
    if e.domain == Int32(XML_FROM_SCHEMASV.rawValue), let v = e.str1,
      (Int32(XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1.rawValue)...Int32(XML_SCHEMAV_CVC_ENUMERATION_VALID.rawValue)).contains(e.code)
    {
      value = String(cString: v)
    }
    var byteOffset: Int?
    if issues.isEmpty, e.domain == Int32(XML_FROM_PARSER.rawValue) || e.domain == Int32(XML_FROM_NAMESPACE.rawValue),
      let raw = e.ctxt
    {
      // The parser's position; exact and constant-cost for UTF-8 (for other encodings libxml2 would re-encode).
      let ctxt = raw.assumingMemoryBound(to: xmlParserCtxt.self)
      if let input = ctxt.pointee.input, input.pointee.buf == nil || input.pointee.buf.pointee.encoder == nil {
        let n = xmlByteConsumed(ctxt)
        if n >= 0 { byteOffset = n }
      }
    }
    issues.append(LibXMLIssue(
      domain: Int32(e.domain), code: Int32(e.code), level: e.level.rawValue, line: Int(e.line), column: Int(e.int2),
      node: e.node, isDecodingFailure: decoding, isMissingChild: missing, isDepthLimit: depthLimit, isSizeLimit: sizeLimit,
      attribute: attribute, value: value, byteOffset: byteOffset))
  }

  /// The local part of `{namespace}local`, `prefix:local` or `local`, if it is an XML name.
  private static func localName(_ s: String) -> String? {
    var name = s
    if let close = name.lastIndex(of: "}") { name = String(name[name.index(after: close)...]) }
    if let colon = name.lastIndex(of: ":") { name = String(name[name.index(after: colon)...]) }
    return XMLWriter.isName(name) ? name : nil
  }

  /// The context pointer to register with libxml2 (the sink must outlive the registration).
  var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// The structured-error callback for every libxml2 context: appends to the `LibXMLErrorSink` passed as context.
func collectLibXMLError(_ ctx: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
  guard let ctx, let error else { return }
  Unmanaged<LibXMLErrorSink>.fromOpaque(ctx).takeUnretainedValue().add(error.pointee)
}

enum LibXMLErrorMap {
  private static func code(_ e: xmlParserErrors) -> Int32 { Int32(e.rawValue) }

  /// CaseBridge's rule and own message for a libxml2 parser error that stops a document.
  static func document(_ issue: LibXMLIssue) -> (rule: String, message: String) {
    let c = issue.code
    if issue.domain == Int32(XML_FROM_I18N.rawValue) {
      return ("xml.encoding", "the document's encoding cannot be converted")
    }
    switch c {
    case code(XML_ERR_DOCUMENT_EMPTY), code(XML_ERR_DOCUMENT_START):
      return ("xml.empty", "the document has no root element")
    case code(XML_ERR_UNDECLARED_ENTITY), code(XML_WAR_UNDECLARED_ENTITY), code(XML_ERR_UNPARSED_ENTITY),
      code(XML_ERR_ENTITY_IS_EXTERNAL), code(XML_ERR_ENTITY_IS_PARAMETER), code(XML_ERR_ENTITY_PE_INTERNAL),
      code(XML_ERR_ENTITY_LOOP), code(XML_ERR_ENTITY_BOUNDARY), code(XML_ERR_ENTITY_PROCESSING),
      code(XML_ERR_PEREF_IN_PROLOG), code(XML_ERR_PEREF_IN_EPILOG), code(XML_ERR_ENTITYREF_IN_PROLOG),
      code(XML_ERR_ENTITYREF_IN_EPILOG):
      return ("xml.entity-forbidden", "an entity reference other than the five predefined ones (&lt; &gt; &amp; &apos; &quot;)")
    case code(XML_ERR_UNKNOWN_ENCODING), code(XML_ERR_UNSUPPORTED_ENCODING), code(XML_ERR_ENCODING_NAME),
      code(XML_ERR_INVALID_ENCODING), code(XML_ERR_MISSING_ENCODING):
      return ("xml.encoding", "the declared encoding is unknown, unsupported or contradicts the bytes")
    case code(XML_ERR_INVALID_CHAR):
      return issue.isDecodingFailure
        ? ("xml.encoding", "bytes that are not valid in the document's encoding")
        : ("xml.invalid-character", "a character XML 1.0 does not allow")
    case code(XML_ERR_INVALID_HEX_CHARREF), code(XML_ERR_INVALID_DEC_CHARREF), code(XML_ERR_INVALID_CHARREF),
      code(XML_ERR_CHARREF_AT_EOF), code(XML_ERR_CHARREF_IN_PROLOG), code(XML_ERR_CHARREF_IN_EPILOG):
      return ("xml.invalid-character", "a character reference to a character XML 1.0 does not allow")
    case code(XML_ERR_TAG_NAME_MISMATCH):
      return ("xml.not-well-formed", "an end tag does not match its start tag")
    case code(XML_ERR_TAG_NOT_FINISHED), code(XML_ERR_GT_REQUIRED), code(XML_ERR_LTSLASH_REQUIRED):
      return ("xml.not-well-formed", "a tag is not finished")
    case code(XML_ERR_DOCUMENT_END), code(XML_ERR_EXTRA_CONTENT):
      return ("xml.not-well-formed", "content after the root element")
    case code(XML_ERR_ATTRIBUTE_REDEFINED), code(XML_NS_ERR_ATTRIBUTE_REDEFINED):
      return ("xml.not-well-formed", "an attribute appears twice on one element")
    case code(XML_ERR_LT_IN_ATTRIBUTE), code(XML_ERR_ATTRIBUTE_NOT_STARTED), code(XML_ERR_ATTRIBUTE_NOT_FINISHED),
      code(XML_ERR_ATTRIBUTE_WITHOUT_VALUE), code(XML_ERR_EQUAL_REQUIRED), code(XML_ERR_STRING_NOT_STARTED),
      code(XML_ERR_STRING_NOT_CLOSED):
      return ("xml.not-well-formed", "an attribute is malformed")
    case code(XML_ERR_COMMENT_NOT_FINISHED), code(XML_ERR_HYPHEN_IN_COMMENT):
      return ("xml.not-well-formed", "a comment is malformed or not closed")
    case code(XML_ERR_PI_NOT_STARTED), code(XML_ERR_PI_NOT_FINISHED), code(XML_ERR_RESERVED_XML_NAME):
      return ("xml.not-well-formed", "a processing instruction is malformed or misplaced")
    case code(XML_ERR_CDATA_NOT_FINISHED), code(XML_ERR_MISPLACED_CDATA_END):
      return ("xml.not-well-formed", "a CDATA section is malformed or not closed")
    case code(XML_ERR_XMLDECL_NOT_STARTED), code(XML_ERR_XMLDECL_NOT_FINISHED), code(XML_ERR_VERSION_MISSING),
      code(XML_ERR_UNKNOWN_VERSION), code(XML_ERR_VERSION_MISMATCH), code(XML_ERR_STANDALONE_VALUE):
      return ("xml.not-well-formed", "the XML declaration is malformed")
    case code(XML_ERR_NAME_REQUIRED), code(XML_ERR_NAME_TOO_LONG):
      return ("xml.not-well-formed", "a name is missing or too long")
    case code(XML_ERR_ENTITYREF_SEMICOL_MISSING), code(XML_ERR_ENTITYREF_NO_NAME), code(XML_ERR_ENTITYREF_AT_EOF):
      return ("xml.not-well-formed", "an & that does not start a reference")
    case code(XML_NS_ERR_UNDEFINED_NAMESPACE), code(XML_NS_ERR_QNAME), code(XML_NS_ERR_XML_NAMESPACE),
      code(XML_NS_ERR_EMPTY), code(XML_NS_ERR_COLON):
      return ("xml.not-well-formed", "a namespace prefix or declaration is malformed or undeclared")
    case code(XML_ERR_NOT_WELL_BALANCED), code(XML_ERR_LT_REQUIRED):
      return ("xml.not-well-formed", "the document ends before its elements are closed")
    case code(XML_ERR_INTERNAL_ERROR), code(XML_ERR_NO_MEMORY):
      if issue.isDepthLimit { return ("xml.depth-exceeded", "elements are nested deeper than libxml2's limit (256)") }
      if issue.isSizeLimit { return ("xml.text-too-large", "a text, name or attribute is larger than libxml2's limit") }
      return ("xml.not-well-formed", "libxml2 refused the document (an internal limit)")
    default:
      return ("xml.not-well-formed", "the document is not well-formed (libxml2 error \(c))")
    }
  }

  /// CaseBridge's own message for a schema-validation error (never libxml2's text).
  static func schema(_ issue: LibXMLIssue) -> String {
    switch issue.code {
    case Int32(XML_SCHEMAV_ELEMENT_CONTENT.rawValue):
      return issue.isMissingChild ? "a required child element is missing" : "an element not allowed here"
    case Int32(XML_SCHEMAV_CVC_ELT_1.rawValue):
      return "no global element declaration matches this element"
    case Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1.rawValue), Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2.rawValue):
      return "an attribute not allowed here"
    case Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_4.rawValue):
      return "a required attribute is missing"
    case Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1.rawValue):
      return "an element that must be empty has content"
    case Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3.rawValue):
      return "character content where only elements are allowed"
    case Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_2.rawValue), Int32(XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4.rawValue):
      return "child elements where only text is allowed"
    case Int32(XML_SCHEMAV_CVC_IDC.rawValue):
      return "a duplicate or missing key or unique value"
    case Int32(XML_SCHEMAV_CVC_ENUMERATION_VALID.rawValue):
      return "a value not among the allowed values"
    case Int32(XML_SCHEMAV_CVC_PATTERN_VALID.rawValue):
      return "a value that does not match the required pattern"
    case Int32(XML_SCHEMAV_CVC_LENGTH_VALID.rawValue), Int32(XML_SCHEMAV_CVC_MINLENGTH_VALID.rawValue),
      Int32(XML_SCHEMAV_CVC_MAXLENGTH_VALID.rawValue):
      return "a value of the wrong length"
    case Int32(XML_SCHEMAV_CVC_MININCLUSIVE_VALID.rawValue)...Int32(XML_SCHEMAV_CVC_FRACTIONDIGITS_VALID.rawValue):
      return "a value out of the allowed range"
    case Int32(XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1.rawValue)...Int32(XML_SCHEMAV_CVC_FACET_VALID.rawValue),
      Int32(XML_SCHEMAV_CVC_TYPE_3_1_1.rawValue), Int32(XML_SCHEMAV_CVC_ATTRIBUTE_3.rawValue),
      Int32(XML_SCHEMAV_CVC_ELT_5_2_2_2_1.rawValue), Int32(XML_SCHEMAV_CVC_ELT_5_2_2_2_2.rawValue):
      return "a value not valid for its type"
    case Int32(XML_SCHEMAV_CVC_ELT_3_1.rawValue), Int32(XML_SCHEMAV_CVC_ELT_3_2_1.rawValue),
      Int32(XML_SCHEMAV_CVC_ELT_3_2_2.rawValue):
      return "xsi:nil used where the element is not nillable, or with content"
    case Int32(XML_SCHEMAV_CVC_ELT_4_1.rawValue), Int32(XML_SCHEMAV_CVC_ELT_4_2.rawValue),
      Int32(XML_SCHEMAV_CVC_ELT_4_3.rawValue), Int32(XML_SCHEMAV_CVC_ELT_2.rawValue):
      return "an xsi:type that cannot be used here"
    case Int32(XML_SCHEMAV_CVC_WILDCARD.rawValue):
      return "content not allowed by a wildcard"
    default:
      return "the element is not valid against the schema (libxml2 schema error \(issue.code))"
    }
  }
}
