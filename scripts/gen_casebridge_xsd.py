#!/usr/bin/env python3
"""Generates CaseBridge XML 1.0's XSD and its Swift mapping tables.

Inputs (the sources of truth):
  Schemas/json/casebridge-entity-1.0.schema.json   the canonical model (member order, kinds, facets, enums)
  Schemas/xml/casebridge-case-1.0.names.json       JSON member name -> XML element name

Outputs (committed; a test regenerates them and compares byte for byte):
  Schemas/xml/casebridge-case-1.0.xsd
  Sources/CaseXML/CaseBridgeXMLGenerated.swift     the same XSD text and the mapping tables the reader and
                                                   writer walk, so XSD, reader and writer cannot drift

Usage: gen_casebridge_xsd.py [--check] [REPO_ROOT]
  --check   compare instead of writing; exit 1 and name the stale file when they differ.

Mapping rules (mechanical):
  * every entity type is a global element (one per $defs/entity-*), with a required `id` attribute; its members
    follow in the JSON Schema's property order as an xs:sequence (provenance and extras last, as the canonical
    JSON writer puts them); members the JSON Schema requires are minOccurs=1.
  * an array member is its item element repeated (minOccurs=0, maxOccurs=unbounded), without a wrapper.
  * an object member ($ref to an object $def) is an element with child elements, by the same rules.
  * a value that canonical JSON writes as a string or as an object keeping the original text (oneOf string |
    object with `original`) is an element whose text is the normalised value, with the object's other members
    as optional attributes (`original`, `offset`, `zone`).
  * booleans are xs:boolean restricted to true|false; integers are xs:long (xs:int for ports) restricted to
    the canonical decimal form with the JSON Schema's minimum/maximum; timestamps are xs:dateTime with the JSON
    Schema's pattern (a zone is required); dates are xs:date with the pattern; enums are xs:string enumerations.
  * JSON Schema patterns are translated: anchors dropped (XSD patterns are anchored), \\d -> [0-9] (XSD's \\d is
    any Unicode digit).
"""
import json
import os
import sys

ROOT_DEFAULT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENTITY_SCHEMA = "Schemas/json/casebridge-entity-1.0.schema.json"
NAMES = "Schemas/xml/casebridge-case-1.0.names.json"
XSD_OUT = "Schemas/xml/casebridge-case-1.0.xsd"
SWIFT_OUT = "Sources/CaseXML/CaseBridgeXMLGenerated.swift"

# The base of a value: how the XSD types it and how the reader turns its text into JSON.
#   string: xs:string, JSON string, text kept exactly
#   integer: xs:long (xs:int when the range fits), JSON number; boolean: xs:boolean, JSON true/false
#   date, dateTime: xs:date, xs:dateTime, JSON string
# Every base but string has the whitespace facet `collapse`: the validator (and so the reader) trims the text.
XSD_BASE = {"string": "xs:string", "integer": "xs:long", "boolean": "xs:boolean", "date": "xs:date", "dateTime": "xs:dateTime"}
# String $defs whose value space is a built-in richer than a pattern.
DEF_BASE = {"zonedTimestamp": "dateTime", "utcTimestamp": "dateTime", "date": "date"}
INTEGER_PATTERN = "-?(0|[1-9][0-9]*)"
INT32 = (-2147483648, 2147483647)


class Fail(Exception):
    pass


def ucfirst(s):
    return s[:1].upper() + s[1:]


def xsd_pattern(p):
    """A JSON Schema (ECMA-262) pattern as an XSD pattern: anchors dropped, ASCII digits, escaped dash."""
    if not (p.startswith("^") and p.endswith("$")):
        raise Fail("JSON Schema pattern must be anchored: " + p)
    return p[1:-1].replace("\\d", "[0-9]").replace("[+-]", "[+\\-]")


def esc_attr(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def swift_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Facets:
    """What the XSD checks about one value, in the JSON Schema's terms (patterns kept in their XSD form)."""

    def __init__(self, base, min_length=0, pattern=None, enum=None, minimum=None, maximum=None):
        self.base = base
        self.min_length = min_length
        self.pattern = pattern
        self.enum = enum or []
        self.minimum = minimum
        self.maximum = maximum

    @staticmethod
    def of(d, base=None):
        t = d.get("type")
        if "enum" in d:
            return Facets("string", enum=d["enum"])
        if base is None:
            base = {"string": "string", "integer": "integer", "boolean": "boolean"}.get(t)
            if base is None:
                raise Fail("unsupported value schema: " + json.dumps(d))
        allowed = {"type", "description", "minLength", "pattern", "minimum", "maximum"}
        if set(d) - allowed:
            raise Fail("unsupported keywords in value schema: " + json.dumps(d))
        pattern = xsd_pattern(d["pattern"]) if "pattern" in d else None
        if base == "integer":
            pattern = INTEGER_PATTERN
        if base == "boolean":
            pattern = "true|false"
        return Facets(base, d.get("minLength", 0), pattern, None, d.get("minimum"), d.get("maximum"))

    def is_plain_string(self):
        return self.base == "string" and not self.min_length and self.pattern is None and not self.enum

    def xsd_base(self):
        if self.base == "integer":
            lo = self.minimum if self.minimum is not None else -(1 << 63)
            hi = self.maximum if self.maximum is not None else (1 << 63) - 1
            return "xs:int" if lo >= INT32[0] and hi <= INT32[1] else "xs:long"
        return XSD_BASE[self.base]

    def xsd_simple_type(self, name, indent):
        lines = [indent + ('<xs:simpleType name="%s">' % name if name else "<xs:simpleType>")]
        lines.append(indent + '  <xs:restriction base="%s">' % self.xsd_base())
        body = []
        if self.min_length:
            body.append('<xs:minLength value="%d"/>' % self.min_length)
        if self.pattern is not None:
            body.append('<xs:pattern value="%s"/>' % esc_attr(self.pattern))
        for v in self.enum:
            body.append('<xs:enumeration value="%s"/>' % esc_attr(v))
        if self.minimum is not None:
            body.append('<xs:minInclusive value="%d"/>' % self.minimum)
        if self.maximum is not None:
            body.append('<xs:maxInclusive value="%d"/>' % self.maximum)
        lines += [indent + "    " + b for b in body]
        lines += [indent + "  </xs:restriction>", indent + "</xs:simpleType>"]
        return lines

    def swift(self):
        args = ["." + self.base]
        if self.min_length:
            args.append("minLength: %d" % self.min_length)
        if self.pattern is not None and self.base not in ("integer", "boolean"):
            args.append("pattern: " + swift_str(self.pattern))
        if self.enum:
            args.append("enumeration: [" + ", ".join(swift_str(v) for v in self.enum) + "]")
        if self.minimum is not None:
            args.append("minimum: %d" % self.minimum)
        if self.maximum is not None:
            args.append("maximum: %d" % self.maximum)
        return "XMLValueFacets(" + ", ".join(args) + ")"


class Generator:
    def __init__(self, schema, names):
        self.schema = schema
        self.defs = schema["$defs"]
        self.names = names
        self.simple_types = {}  # name -> lines (emitted sorted by name)
        self.complex_types = {}  # name -> lines (emitted in first-use order)
        self.tables = []  # (json type name, entity element or None, [(key, element, swift kind, flags)])

    def ref_name(self, prop):
        r = prop.get("$ref")
        if r is None:
            return None
        if not r.startswith("#/$defs/"):
            raise Fail("unsupported $ref " + r)
        return r[len("#/$defs/"):]

    def named_simple(self, name, facets):
        lines = facets.xsd_simple_type(name, "  ")
        if self.simple_types.get(name, lines) != lines:
            raise Fail("two different simple types named " + name)
        self.simple_types[name] = lines
        return name

    def def_facets(self, def_name):
        d = self.defs[def_name]
        return Facets.of(d, DEF_BASE.get(def_name))

    def attributed(self, d):
        """oneOf string | object with `original`: (string alternative, text key, [attribute names])."""
        alts = d.get("oneOf")
        if not alts or len(alts) != 2:
            return None
        obj = next((a for a in alts if a.get("type") == "object"), None)
        text = next((a for a in alts if a is not obj), None)
        if obj is None or "original" not in obj.get("properties", {}):
            return None
        props = obj["properties"]
        keys = [k for k in props if k not in ("original", "offset", "zone")]
        if len(keys) != 1 or keys[0] not in obj.get("required", []):
            raise Fail("cannot tell the value member of an attributed type")
        return text, keys[0], [k for k in props if k != keys[0]]

    def value_type(self, prop, element):
        """(xsd type or None, inline lines or None, swift kind) of one non-array member."""
        ref = self.ref_name(prop)
        if ref is not None:
            d = self.defs[ref]
            att = self.attributed(d)
            if att is not None:
                return self.attributed_type(ref, att)
            if d.get("type") == "object":
                self.object_type(ref)
                return ucfirst(ref) + "Type", None, ".object(%s)" % swift_str(ref)
            f = self.def_facets(ref)
            return self.named_simple(ucfirst(ref) + "Type", f), None, ".value(%s)" % f.swift()
        f = Facets.of(prop)
        kind = ".value(%s)" % f.swift()
        if f.enum:
            return self.named_simple(element + "Type", f), None, kind
        if f.is_plain_string():
            return "xs:string", None, kind
        if f.base == "boolean":
            return self.named_simple("BooleanType", f), None, kind
        if f.base == "integer" and f.minimum is None and f.maximum is None:
            return self.named_simple("IntegerType", f), None, kind
        return None, f.xsd_simple_type(None, "        "), kind

    def attributed_type(self, def_name, att):
        text_alt, text_key, attrs = att
        tname = ucfirst(def_name) + "Type"
        ref = self.ref_name(text_alt)
        if ref is not None:
            tf = self.def_facets(ref)
            base = self.named_simple(ucfirst(ref) + "Type", tf)
        else:
            tf = Facets.of(text_alt)
            base = self.named_simple(ucfirst(def_name) + "TextType", tf)
        obj = next(a for a in self.defs[def_name]["oneOf"] if a.get("type") == "object")
        attr_rows = []
        lines = ['  <xs:complexType name="%s">' % tname, "    <xs:simpleContent>", '      <xs:extension base="%s">' % base]
        for k in attrs:
            af = Facets.of(obj["properties"][k])
            at = "xs:string" if af.is_plain_string() else self.named_simple(ucfirst(def_name) + ucfirst(k) + "Type", af)
            lines.append('        <xs:attribute name="%s" type="%s"/>' % (k, at))
            attr_rows.append("(%s, %s)" % (swift_str(k), af.swift()))
        lines += ["      </xs:extension>", "    </xs:simpleContent>", "  </xs:complexType>"]
        self.complex_types[tname] = lines
        kind = ".attributed(textKey: %s, text: %s, attributes: [%s])" % (swift_str(text_key), tf.swift(), ", ".join(attr_rows))
        return tname, None, kind

    def members_of(self, props, required, member_names, context, skip):
        keys = [k for k in props if k not in skip]
        tail = [k for k in ("provenance", "extras") if k in keys]
        keys = [k for k in keys if k not in tail] + tail
        lines, rows, seen = [], [], set()
        for k in keys:
            el = member_names.get(k) or self.names["common"].get(k)
            if el is None:
                raise Fail("no element name for %s.%s in the naming table" % (context, k))
            if el in seen:
                raise Fail("element name %s used twice in %s" % (el, context))
            seen.add(el)
            p = props[k]
            repeated = p.get("type") == "array"
            tname, inline, kind = self.value_type(p["items"] if repeated else p, el)
            occurs = ' minOccurs="0" maxOccurs="unbounded"' if repeated else ("" if k in required else ' minOccurs="0"')
            if inline is None:
                lines.append('      <xs:element name="%s" type="%s"%s/>' % (el, tname, occurs))
            else:
                lines += ['      <xs:element name="%s"%s>' % (el, occurs)] + inline + ["      </xs:element>"]
            flags = (", repeated: true" if repeated else "") + (", required: true" if k in required else "")
            rows.append((k, el, kind, flags))
        unused = set(member_names) - set(keys)
        if unused:
            raise Fail("naming table names members %s.%s that the JSON Schema does not have" % (context, sorted(unused)))
        return lines, rows

    def object_type(self, def_name):
        tname = ucfirst(def_name) + "Type"
        if tname in self.complex_types:
            return
        self.complex_types[tname] = None  # reserved: keeps first-use order, guards recursion
        d = self.defs[def_name]
        if d.get("additionalProperties") is not False:
            raise Fail("object $def %s must forbid additional properties" % def_name)
        if def_name not in self.names["types"]:
            raise Fail("no naming table entry for type " + def_name)
        lines, rows = self.members_of(d["properties"], set(d.get("required", [])), self.names["types"][def_name], def_name, ())
        self.complex_types[tname] = ['  <xs:complexType name="%s">' % tname, "    <xs:sequence>"] + lines + ["    </xs:sequence>", "  </xs:complexType>"]
        self.tables.append((def_name, None, rows))

    def entity(self, type_name, spec):
        d = self.defs["entity-" + type_name]
        if d["properties"]["type"].get("const") != type_name:
            raise Fail("entity-%s has another type constant" % type_name)
        el = spec["element"]
        tname = el + "Type"
        self.complex_types[tname] = None
        lines, rows = self.members_of(d["properties"], set(d.get("required", [])), spec["members"], type_name, ("type", "id"))
        self.complex_types[tname] = (
            ['  <xs:complexType name="%s">' % tname, "    <xs:sequence>"]
            + lines
            + ["    </xs:sequence>", '    <xs:attribute name="%s" type="EntityIdType" use="required"/>' % self.names["idAttribute"], "  </xs:complexType>"]
        )
        self.tables.append((type_name, el, rows))
        return el, tname

    def generate(self):
        n = self.names
        entity_types = [a["$ref"].split("entity-", 1)[1] for a in self.schema["oneOf"]]
        if set(entity_types) != set(n["entities"]):
            raise Fail("naming table entities differ from the JSON Schema's: %s" % sorted(set(entity_types) ^ set(n["entities"])))
        self.named_simple("EntityIdType", self.def_facets("entityId"))
        self.named_simple("CasebridgeVersionType", Facets("string", enum=[n["version"]]))
        elements = [el for el in (spec["element"] for spec in n["entities"].values())]
        if len(set(elements)) != len(elements) or n["root"] in elements:
            raise Fail("entity element names must be unique and differ from the root")
        globals_ = [self.entity(t, n["entities"][t]) for t in entity_types]
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            "<!-- CaseBridge XML %s. Generated by scripts/gen_casebridge_xsd.py from" % n["version"],
            "     Schemas/json/casebridge-entity-1.0.schema.json and Schemas/xml/casebridge-case-1.0.names.json;",
            "     do not edit by hand. Every entity type is a global element: each child of the root is one source",
            "     record, validated on its own. Values keep their original text in the optional attributes",
            "     original, offset and zone. -->",
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="%s" targetNamespace="%s"'
            ' elementFormDefault="qualified" attributeFormDefault="unqualified" version="%s">' % (n["namespace"], n["namespace"], n["version"]),
            "",
            '  <xs:element name="%s">' % n["root"],
            "    <xs:complexType>",
            '      <xs:choice minOccurs="0" maxOccurs="unbounded">',
        ]
        out += ['        <xs:element ref="%s"/>' % el for el, _ in globals_]
        out += [
            "      </xs:choice>",
            '      <xs:attribute name="%s" type="CasebridgeVersionType" use="required"/>' % n["versionAttribute"],
            "    </xs:complexType>",
            "  </xs:element>",
            "",
        ]
        out += ['  <xs:element name="%s" type="%s"/>' % (el, t) for el, t in globals_]
        out.append("")
        for lines in self.complex_types.values():
            out += lines + [""]
        for name in sorted(self.simple_types):
            out += self.simple_types[name] + [""]
        out[-1] = "</xs:schema>"
        xsd = "\n".join(out) + "\n"
        return xsd, self.swift(xsd)

    def swift(self, xsd):
        if '"""#' in xsd:
            raise Fail("the XSD text cannot be a Swift raw string literal")
        n = self.names
        s = [
            "// Generated by scripts/gen_casebridge_xsd.py from Schemas/json/casebridge-entity-1.0.schema.json and",
            "// Schemas/xml/casebridge-case-1.0.names.json. Do not edit: run the script (a test compares this file with its output).",
            "",
            "extension CaseBridgeXMLFormat {",
            "  /// The CaseBridge XML namespace.",
            "  public static let namespace = %s" % swift_str(n["namespace"]),
            "  /// The root element's local name.",
            "  public static let rootElement = %s" % swift_str(n["root"]),
            "  /// The root's version attribute.",
            "  public static let versionAttribute = %s" % swift_str(n["versionAttribute"]),
            "  /// The version this build writes.",
            "  public static let version = %s" % swift_str(n["version"]),
            "  /// The entity id attribute.",
            "  public static let idAttribute = %s" % swift_str(n["idAttribute"]),
            "",
            "  /// The text of Schemas/xml/casebridge-case-1.0.xsd without its final newline.",
            '  static let xsdText = #"""',
            xsd[:-1],
            '"""#',
            "",
            "  /// Entity types (with their element) and shared object types; members in XSD sequence order.",
            "  static let generatedTables: [XMLMappedType] = [",
        ]
        for name, element, rows in self.tables:
            s.append("    XMLMappedType(name: %s, element: %s, members: [" % (swift_str(name), swift_str(element) if element else "nil"))
            for k, el, kind, flags in rows:
                s.append("      XMLMappedMember(%s, %s, %s%s)," % (swift_str(k), swift_str(el), kind, flags))
            s.append("    ]),")
        s += ["  ]", "}"]
        return "\n".join(s) + "\n"


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if not a.startswith("--")]
    root = args[0] if args else ROOT_DEFAULT
    with open(os.path.join(root, ENTITY_SCHEMA), encoding="utf-8") as f:
        schema = json.load(f)
    with open(os.path.join(root, NAMES), encoding="utf-8") as f:
        names = json.load(f)
    try:
        xsd, swift = Generator(schema, names).generate()
    except Fail as e:
        print("gen_casebridge_xsd: " + str(e), file=sys.stderr)
        return 2
    stale = []
    for rel, text in ((XSD_OUT, xsd), (SWIFT_OUT, swift)):
        path = os.path.join(root, rel)
        data = text.encode("utf-8")
        if check:
            try:
                with open(path, "rb") as f:
                    if f.read() != data:
                        stale.append(rel)
            except FileNotFoundError:
                stale.append(rel)
        else:
            with open(path, "wb") as f:
                f.write(data)
    if stale:
        print("gen_casebridge_xsd: out of date: " + ", ".join(stale) + " (run scripts/gen_casebridge_xsd.py)", file=sys.stderr)
        return 1
    print("gen_casebridge_xsd: " + ("up to date" if check else "wrote " + XSD_OUT + " and " + SWIFT_OUT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
