import Testing

@testable import CaseModel

/// One sample string of RFC 3492 §7.1.
struct RFC3492Vector: Sendable, CustomTestStringConvertible {
  var label: String
  /// The Unicode code points, as listed in the RFC.
  var unicode: String
  /// The Punycode exactly as printed in the RFC (which uses mixed-case annotation in (I)).
  var punycode: String
  /// What an encoder without mixed-case annotation emits, when it differs from `punycode`.
  var encoderOutput: String?

  init(label: String, unicode: String, punycode: String, encoderOutput: String? = nil) {
    self.label = label
    self.unicode = unicode
    self.punycode = punycode
    self.encoderOutput = encoderOutput
  }

  var testDescription: String { label }
}

/// RFC 3492 §7.1 sample strings (A) to (S), cross-checked with Python's `punycode` codec.
let rfc3492Vectors: [RFC3492Vector] = [
    // (A) Arabic (Egyptian)
    // U+0644 U+064A U+0647 U+0645 U+0627 U+0628 U+062A U+0643 U+0644 U+0645 U+0648 U+0634 U+0639 U+0631 U+0628 U+064A U+061F
    RFC3492Vector(
      label: "(A) Arabic (Egyptian)",
      unicode: "\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}",
      punycode: "egbpdaj6bu4bxfgehfvwxn"),
    // (B) Chinese (simplified)
    // U+4ED6 U+4EEC U+4E3A U+4EC0 U+4E48 U+4E0D U+8BF4 U+4E2D U+6587
    RFC3492Vector(
      label: "(B) Chinese (simplified)",
      unicode: "\u{4ED6}\u{4EEC}\u{4E3A}\u{4EC0}\u{4E48}\u{4E0D}\u{8BF4}\u{4E2D}\u{6587}",
      punycode: "ihqwcrb4cv8a8dqg056pqjye"),
    // (C) Chinese (traditional)
    // U+4ED6 U+5011 U+7232 U+4EC0 U+9EBD U+4E0D U+8AAA U+4E2D U+6587
    RFC3492Vector(
      label: "(C) Chinese (traditional)",
      unicode: "\u{4ED6}\u{5011}\u{7232}\u{4EC0}\u{9EBD}\u{4E0D}\u{8AAA}\u{4E2D}\u{6587}",
      punycode: "ihqwctvzc91f659drss3x8bo0yb"),
    // (D) Czech
    // U+0050 U+0072 U+006F U+010D U+0070 U+0072 U+006F U+0073 U+0074 U+011B U+006E U+0065 U+006D U+006C U+0075 U+0076 U+00ED U+010D U+0065 U+0073 U+006B U+0079
    RFC3492Vector(
      label: "(D) Czech",
      unicode: "\u{50}\u{72}\u{6F}\u{10D}\u{70}\u{72}\u{6F}\u{73}\u{74}\u{11B}\u{6E}\u{65}\u{6D}\u{6C}\u{75}\u{76}\u{ED}\u{10D}\u{65}\u{73}\u{6B}\u{79}",
      punycode: "Proprostnemluvesky-uyb24dma41a"),
    // (E) Hebrew
    // U+05DC U+05DE U+05D4 U+05D4 U+05DD U+05E4 U+05E9 U+05D5 U+05D8 U+05DC U+05D0 U+05DE U+05D3 U+05D1 U+05E8 U+05D9 U+05DD U+05E2 U+05D1 U+05E8 U+05D9 U+05EA
    RFC3492Vector(
      label: "(E) Hebrew",
      unicode: "\u{5DC}\u{5DE}\u{5D4}\u{5D4}\u{5DD}\u{5E4}\u{5E9}\u{5D5}\u{5D8}\u{5DC}\u{5D0}\u{5DE}\u{5D3}\u{5D1}\u{5E8}\u{5D9}\u{5DD}\u{5E2}\u{5D1}\u{5E8}\u{5D9}\u{5EA}",
      punycode: "4dbcagdahymbxekheh6e0a7fei0b"),
    // (F) Hindi (Devanagari)
    // U+092F U+0939 U+0932 U+094B U+0917 U+0939 U+093F U+0928 U+094D U+0926 U+0940 U+0915 U+094D U+092F U+094B U+0902 U+0928 U+0939 U+0940 U+0902 U+092C U+094B U+0932 U+0938 U+0915 U+0924 U+0947 U+0939 U+0948 U+0902
    RFC3492Vector(
      label: "(F) Hindi (Devanagari)",
      unicode: "\u{92F}\u{939}\u{932}\u{94B}\u{917}\u{939}\u{93F}\u{928}\u{94D}\u{926}\u{940}\u{915}\u{94D}\u{92F}\u{94B}\u{902}\u{928}\u{939}\u{940}\u{902}\u{92C}\u{94B}\u{932}\u{938}\u{915}\u{924}\u{947}\u{939}\u{948}\u{902}",
      punycode: "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd"),
    // (G) Japanese (kanji and hiragana)
    // U+306A U+305C U+307F U+3093 U+306A U+65E5 U+672C U+8A9E U+3092 U+8A71 U+3057 U+3066 U+304F U+308C U+306A U+3044 U+306E U+304B
    RFC3492Vector(
      label: "(G) Japanese (kanji and hiragana)",
      unicode: "\u{306A}\u{305C}\u{307F}\u{3093}\u{306A}\u{65E5}\u{672C}\u{8A9E}\u{3092}\u{8A71}\u{3057}\u{3066}\u{304F}\u{308C}\u{306A}\u{3044}\u{306E}\u{304B}",
      punycode: "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa"),
    // (H) Korean (Hangul syllables)
    // U+C138 U+ACC4 U+C758 U+BAA8 U+B4E0 U+C0AC U+B78C U+B4E4 U+C774 U+D55C U+AD6D U+C5B4 U+B97C U+C774 U+D574 U+D55C U+B2E4 U+BA74 U+C5BC U+B9C8 U+B098 U+C88B U+C744 U+AE4C
    RFC3492Vector(
      label: "(H) Korean (Hangul syllables)",
      unicode: "\u{C138}\u{ACC4}\u{C758}\u{BAA8}\u{B4E0}\u{C0AC}\u{B78C}\u{B4E4}\u{C774}\u{D55C}\u{AD6D}\u{C5B4}\u{B97C}\u{C774}\u{D574}\u{D55C}\u{B2E4}\u{BA74}\u{C5BC}\u{B9C8}\u{B098}\u{C88B}\u{C744}\u{AE4C}",
      punycode: "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c"),
    // (I) Russian (Cyrillic)
    // U+043F U+043E U+0447 U+0435 U+043C U+0443 U+0436 U+0435 U+043E U+043D U+0438 U+043D U+0435 U+0433 U+043E U+0432 U+043E U+0440 U+044F U+0442 U+043F U+043E U+0440 U+0443 U+0441 U+0441 U+043A U+0438
    RFC3492Vector(
      label: "(I) Russian (Cyrillic)",
      unicode: "\u{43F}\u{43E}\u{447}\u{435}\u{43C}\u{443}\u{436}\u{435}\u{43E}\u{43D}\u{438}\u{43D}\u{435}\u{433}\u{43E}\u{432}\u{43E}\u{440}\u{44F}\u{442}\u{43F}\u{43E}\u{440}\u{443}\u{441}\u{441}\u{43A}\u{438}",
      punycode: "b1abfaaepdrnnbgefbaDotcwatmq2g4l",
      encoderOutput: "b1abfaaepdrnnbgefbadotcwatmq2g4l"),
    // (J) Spanish
    // U+0050 U+006F U+0072 U+0071 U+0075 U+00E9 U+006E U+006F U+0070 U+0075 U+0065 U+0064 U+0065 U+006E U+0073 U+0069 U+006D U+0070 U+006C U+0065 U+006D U+0065 U+006E U+0074 U+0065 U+0068 U+0061 U+0062 U+006C U+0061 U+0072 U+0065 U+006E U+0045 U+0073 U+0070 U+0061 U+00F1 U+006F U+006C
    RFC3492Vector(
      label: "(J) Spanish",
      unicode: "\u{50}\u{6F}\u{72}\u{71}\u{75}\u{E9}\u{6E}\u{6F}\u{70}\u{75}\u{65}\u{64}\u{65}\u{6E}\u{73}\u{69}\u{6D}\u{70}\u{6C}\u{65}\u{6D}\u{65}\u{6E}\u{74}\u{65}\u{68}\u{61}\u{62}\u{6C}\u{61}\u{72}\u{65}\u{6E}\u{45}\u{73}\u{70}\u{61}\u{F1}\u{6F}\u{6C}",
      punycode: "PorqunopuedensimplementehablarenEspaol-fmd56a"),
    // (K) Vietnamese
    // U+0054 U+1EA1 U+0069 U+0073 U+0061 U+006F U+0068 U+1ECD U+006B U+0068 U+00F4 U+006E U+0067 U+0074 U+0068 U+1EC3 U+0063 U+0068 U+1EC9 U+006E U+00F3 U+0069 U+0074 U+0069 U+1EBF U+006E U+0067 U+0056 U+0069 U+1EC7 U+0074
    RFC3492Vector(
      label: "(K) Vietnamese",
      unicode: "\u{54}\u{1EA1}\u{69}\u{73}\u{61}\u{6F}\u{68}\u{1ECD}\u{6B}\u{68}\u{F4}\u{6E}\u{67}\u{74}\u{68}\u{1EC3}\u{63}\u{68}\u{1EC9}\u{6E}\u{F3}\u{69}\u{74}\u{69}\u{1EBF}\u{6E}\u{67}\u{56}\u{69}\u{1EC7}\u{74}",
      punycode: "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g"),
    // (L) 3<nen>B<gumi><kinpachi><sensei>
    // U+0033 U+5E74 U+0042 U+7D44 U+91D1 U+516B U+5148 U+751F
    RFC3492Vector(
      label: "(L) 3<nen>B<gumi><kinpachi><sensei>",
      unicode: "\u{33}\u{5E74}\u{42}\u{7D44}\u{91D1}\u{516B}\u{5148}\u{751F}",
      punycode: "3B-ww4c5e180e575a65lsy2b"),
    // (M) <amuro><namie>-with-SUPER-MONKEYS
    // U+5B89 U+5BA4 U+5948 U+7F8E U+6075 U+002D U+0077 U+0069 U+0074 U+0068 U+002D U+0053 U+0055 U+0050 U+0045 U+0052 U+002D U+004D U+004F U+004E U+004B U+0045 U+0059 U+0053
    RFC3492Vector(
      label: "(M) <amuro><namie>-with-SUPER-MONKEYS",
      unicode: "\u{5B89}\u{5BA4}\u{5948}\u{7F8E}\u{6075}\u{2D}\u{77}\u{69}\u{74}\u{68}\u{2D}\u{53}\u{55}\u{50}\u{45}\u{52}\u{2D}\u{4D}\u{4F}\u{4E}\u{4B}\u{45}\u{59}\u{53}",
      punycode: "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"),
    // (N) Hello-Another-Way-<sorezore><no><basho>
    // U+0048 U+0065 U+006C U+006C U+006F U+002D U+0041 U+006E U+006F U+0074 U+0068 U+0065 U+0072 U+002D U+0057 U+0061 U+0079 U+002D U+305D U+308C U+305E U+308C U+306E U+5834 U+6240
    RFC3492Vector(
      label: "(N) Hello-Another-Way-<sorezore><no><basho>",
      unicode: "\u{48}\u{65}\u{6C}\u{6C}\u{6F}\u{2D}\u{41}\u{6E}\u{6F}\u{74}\u{68}\u{65}\u{72}\u{2D}\u{57}\u{61}\u{79}\u{2D}\u{305D}\u{308C}\u{305E}\u{308C}\u{306E}\u{5834}\u{6240}",
      punycode: "Hello-Another-Way--fc4qua05auwb3674vfr0b"),
    // (O) <hitotsu><yane><no><shita>2
    // U+3072 U+3068 U+3064 U+5C4B U+6839 U+306E U+4E0B U+0032
    RFC3492Vector(
      label: "(O) <hitotsu><yane><no><shita>2",
      unicode: "\u{3072}\u{3068}\u{3064}\u{5C4B}\u{6839}\u{306E}\u{4E0B}\u{32}",
      punycode: "2-u9tlzr9756bt3uc0v"),
    // (P) Maji<de>Koi<suru>5<byou><mae>
    // U+004D U+0061 U+006A U+0069 U+3067 U+004B U+006F U+0069 U+3059 U+308B U+0035 U+79D2 U+524D
    RFC3492Vector(
      label: "(P) Maji<de>Koi<suru>5<byou><mae>",
      unicode: "\u{4D}\u{61}\u{6A}\u{69}\u{3067}\u{4B}\u{6F}\u{69}\u{3059}\u{308B}\u{35}\u{79D2}\u{524D}",
      punycode: "MajiKoi5-783gue6qz075azm5e"),
    // (Q) <pafii>de<runba>
    // U+30D1 U+30D5 U+30A3 U+30FC U+0064 U+0065 U+30EB U+30F3 U+30D0
    RFC3492Vector(
      label: "(Q) <pafii>de<runba>",
      unicode: "\u{30D1}\u{30D5}\u{30A3}\u{30FC}\u{64}\u{65}\u{30EB}\u{30F3}\u{30D0}",
      punycode: "de-jg4avhby1noc0d"),
    // (R) <sono><supiido><de>
    // U+305D U+306E U+30B9 U+30D4 U+30FC U+30C9 U+3067
    RFC3492Vector(
      label: "(R) <sono><supiido><de>",
      unicode: "\u{305D}\u{306E}\u{30B9}\u{30D4}\u{30FC}\u{30C9}\u{3067}",
      punycode: "d9juau41awczczp"),
    // (S) -> $1.00 <-
    // U+002D U+003E U+0020 U+0024 U+0031 U+002E U+0030 U+0030 U+0020 U+003C U+002D
    RFC3492Vector(
      label: "(S) -> $1.00 <-",
      unicode: "\u{2D}\u{3E}\u{20}\u{24}\u{31}\u{2E}\u{30}\u{30}\u{20}\u{3C}\u{2D}",
      punycode: "-> $1.00 <--"),
]

@Suite("Punycode")
struct PunycodeTests {
  @Test func allNineteenSamplesArePresent() {
    #expect(rfc3492Vectors.count == 19)
    #expect(rfc3492Vectors.first?.punycode == "egbpdaj6bu4bxfgehfvwxn")
    #expect(rfc3492Vectors[1].punycode == "ihqwcrb4cv8a8dqg056pqjye")
    #expect(rfc3492Vectors[11].punycode == "3B-ww4c5e180e575a65lsy2b")
  }

  @Test(arguments: rfc3492Vectors)
  func encodesRFCSample(_ vector: RFC3492Vector) {
    #expect(Punycode.encode(vector.unicode) == (vector.encoderOutput ?? vector.punycode))
  }

  @Test(arguments: rfc3492Vectors)
  func decodesRFCSample(_ vector: RFC3492Vector) {
    // Compare scalars: String equality would hide a normalisation difference.
    #expect(Punycode.decode(vector.punycode).map(scalarValues) == scalarValues(vector.unicode))
    if let lower = vector.encoderOutput {
      #expect(Punycode.decode(lower).map(scalarValues) == scalarValues(vector.unicode))
    }
  }

  @Test(arguments: [
    ("bücher", "bcher-kva"),
    ("ü", "tda"),
    ("üü", "tdaa"),
    ("日本語", "wgv71a119e"),
    ("jörg", "jrg-sna"),
    ("abc", "abc-"),
    ("", ""),
  ])
  func encodesAndDecodesSmallLabels(unicode: String, ascii: String) {
    #expect(Punycode.encode(unicode) == ascii)
    #expect(Punycode.decode(ascii) == unicode)
  }

  @Test func decoderAcceptsUpperCaseDigits() {
    #expect(Punycode.decode("BCHER-KVA") == "BüCHER")
    #expect(Punycode.decode("TDA") == "ü")
  }

  @Test(arguments: [
    "bcher-kv\u{00E4}",  // non-ASCII input
    "ab-c!",  // invalid digit
    "99999999999",  // overflow / truncated
    "zzzzzzzzzzzzzzzzzzzz",  // truncated
    "ib9b",  // decodes to the surrogate U+D800
    "en32g",  // decodes to U+110000
    "-",
  ])
  func rejectsInvalidInput(ascii: String) {
    #expect(Punycode.decode(ascii) == nil)
  }

  @Test func randomLabelsRoundTrip() throws {
    var rng = SplitMix64(seed: 3492)
    for _ in 0..<2000 {
      var scalars = String.UnicodeScalarView()
      let length = Int(rng.next() % 20)
      for _ in 0..<length {
        let v: UInt32
        switch rng.next() % 4 {
        case 0: v = UInt32(0x61 + rng.next() % 26)
        case 1: v = UInt32(0xA0 + rng.next() % 0x500)
        case 2: v = UInt32(0x3040 + rng.next() % 0x6000)
        default: v = UInt32(0x10000 + rng.next() % 0x10000)
        }
        scalars.append(try #require(Unicode.Scalar(v)))
      }
      let label = String(scalars)
      let encoded = try #require(Punycode.encode(label), "seed 3492")
      #expect(encoded.utf8.allSatisfy { $0 < 0x80 })
      #expect(Punycode.decode(encoded).map(scalarValues) == scalarValues(label), "seed 3492")
    }
  }
}
