#!/usr/bin/env python3
"""Benchmark peer: CaseBridge XML -> per-record XSD validation and checks -> JSON Lines, with lxml iterparse.

    peer_xml.py SCHEMA.xsd IN.xml OUT.jsonl QUARANTINE.xml [--counts COUNTS.json]

Run it with a Python that has lxml (scripts/bench_xml.sh installs lxml into a venv under its --out directory).
It does roughly what `casebridge convert IN.xml --from xml --to jsonl` does per record, so that the benchmark can
report paired ratios on the same file:

  * lxml.etree.iterparse over the document (resolve_entities=False, no_network=True, load_dtd=False,
    huge_tree=False; a DOCTYPE is refused) with tag= the eleven entity elements, so that only records (the
    children of CaseBundle; no other element has those names) reach Python, each at its "end" event; it is then
    cleared and deleted from the root so memory stays flat (children of the root that are not entity elements
    are skipped, not rejected: the peer validates records, not the document);
  * validates each record with lxml.etree.XMLSchema (the same XSD) by validating the element itself: lxml validates
    it as the root of a temporary document against its global element declaration (xmlSchemaValidateDoc), the
    per-record equivalent of CaseBridge's xmlSchemaValidateOneElement;
  * checks what the XSD leaves to CaseBridge's semantic rules for the benchmark's deliberately bad records: every
    IPAddress with the ipaddress module (IPv4 leading zeros and IPv6 zone ids refused), and the digest length of
    every FileHash for the common algorithms;
  * converts each accepted record to a JSON object (type from the element name, id from the id attribute, member
    names from Schemas/xml/casebridge-case-1.0.names.json, arrays where the XSD says maxOccurs="unbounded",
    booleans and integers where the XSD type says so, attributes original/offset/zone turned into the object form)
    and writes it with json.dumps(obj, ensure_ascii=False, separators=(",", ":"));
  * writes each rejected record's element, serialised by lxml, to QUARANTINE.

It is deliberately simpler than CaseBridge: no strict field rules (EntityJSONDecoder), no reference resolution,
no duplicate-id check, no e-mail/phone/Unicode rules, no canonical member order, no deterministic ids, no
provenance, no SHA-256 of input or output, no per-finding diagnostics or run report, no structure scanner for
exact record byte spans. BENCHMARKS.md says so. Counts go to stderr and, with --counts, to a file.
Exit status 0 when the document was processed (whatever was rejected), 2 on usage or I/O errors, 3 when the
document is not well-formed.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys

from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"
HEX_LENGTH = {"md5": 32, "sha1": 40, "sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128,
              "sha3-256": 64, "sha3-512": 128}
HEX_DIGITS = frozenset("0123456789abcdef")
INTEGER_BASES = ("xs:long", "xs:int", "xs:integer", "xs:nonNegativeInteger", "xs:unsignedShort", "xs:short")


def tables(xsd_path: str):
    """Per XML element name: (JSON member name, is an array, value kind) from the naming table and the XSD."""
    names = json.load(open(os.path.join(os.path.dirname(xsd_path), "casebridge-case-1.0.names.json")))
    ns = "{" + names["namespace"] + "}"
    member: dict[str, str] = {}
    entity: dict[str, str] = {}
    for etype, e in names["entities"].items():
        entity[ns + e["element"]] = etype
        for j, x in e["members"].items():
            member[x] = j
    for j, x in names.get("common", {}).items():
        member[x] = j
    for t in names["types"].values():
        for j, x in t.get("members", t).items():
            member[x] = j
    # Kinds of simple types, from the XSD: named simple types and complex types with simple content.
    xsd = etree.parse(xsd_path)
    kind_of_type: dict[str, str] = {"xs:boolean": "bool"}
    for b in INTEGER_BASES:
        kind_of_type[b] = "int"
    for st in xsd.iter(XS + "simpleType", XS + "complexType"):
        name = st.get("name")
        if not name:
            continue
        r = st.find(f"{XS}restriction")
        if r is None:
            r = st.find(f"{XS}simpleContent/{XS}extension")
        if r is not None:
            base = r.get("base", "")
            if name == "BooleanType" or base == "xs:boolean":
                kind_of_type[name] = "bool"
            elif base in INTEGER_BASES:
                kind_of_type[name] = "int"
            elif name == "TimestampType" or "Timestamp" in base:
                kind_of_type[name] = "timestamp"
    array: set[str] = set()
    kind: dict[str, str] = {}
    for el in xsd.iter(XS + "element"):
        n = el.get("name")
        if not n:
            continue
        if el.get("maxOccurs") == "unbounded":
            array.add(n)
        t = el.get("type")
        if t is None:
            r = el.find(f"{XS}simpleType/{XS}restriction")
            t = r.get("base") if r is not None else None
        if t in kind_of_type:
            kind[n] = kind_of_type[t]
    info = {}
    for x, j in member.items():
        info[ns + x] = (j, x in array, kind.get(x, "string"))
    return ns, entity, info


def main(argv: list[str]) -> int:
    args = list(argv[1:])
    counts_path = None
    if "--counts" in args:
        i = args.index("--counts")
        if i + 1 >= len(args):
            print(__doc__, file=sys.stderr)
            return 2
        counts_path = args[i + 1]
        del args[i:i + 2]
    if len(args) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    xsd_path, src, dst, qpath = args
    ns, entity, info = tables(xsd_path)
    schema = etree.XMLSchema(etree.parse(xsd_path))
    validate = schema.validate
    ip_tag, hash_tag = ns + "IPAddress", ns + "FileHash"
    alg_tag, hex_tag = ns + "HashAlgorithmCode", ns + "HashValueText"
    dumps = json.dumps
    string_info = ("", False, "string")

    def convert(e) -> dict:
        o: dict = {}
        for c in e:
            tag = c.tag
            if not isinstance(tag, str):
                continue  # comments, processing instructions
            key, is_array, kind = info.get(tag, string_info)
            if len(c):
                v = convert(c)
            else:
                text = c.text or ""
                if kind == "bool":
                    v = text.strip() == "true"
                elif kind == "int":
                    v = int(text)
                else:
                    v = text
                if c.attrib:
                    v = {("utc" if kind == "timestamp" else "value"): v, **c.attrib}
            if is_array:
                o.setdefault(key, []).append(v)
            else:
                o[key] = v
        return o

    def semantic_ok(e) -> bool:
        for a in e.iter(ip_tag):
            text = a.text or ""
            if "%" in text:
                return False
            try:
                ipaddress.ip_address(text)
            except ValueError:
                return False
        for h in e.iter(hash_tag):
            n = HEX_LENGTH.get(h.findtext(alg_tag))
            hx = h.findtext(hex_tag) or ""
            if n is None or len(hx) != n or not HEX_DIGITS.issuperset(hx):
                return False
        return True

    read = accepted = quarantined = schema_invalid = semantic_invalid = 0
    try:
        with open(dst, "w", encoding="utf-8") as fout, open(qpath, "wb") as fq:
            fq.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<CaseBundle xmlns="' + ns[1:-1].encode()
                     + b'" casebridgeVersion="1.0">\n')
            root = None
            # Only the entity elements (the children of CaseBundle; their names are used nowhere else) produce
            # events, which lxml filters in C.
            parser = etree.iterparse(src, events=("end",), tag=list(entity), resolve_entities=False,
                                     no_network=True, load_dtd=False, huge_tree=False)
            for _, e in parser:
                if root is None:
                    root = e.getparent()
                    if e.getroottree().docinfo.doctype:
                        print("peer_xml: a DOCTYPE is refused", file=sys.stderr)
                        return 3
                read += 1
                if not validate(e):
                    schema_invalid += 1
                    ok = False
                elif not semantic_ok(e):
                    semantic_invalid += 1
                    ok = False
                else:
                    ok = True
                if ok:
                    o = {"type": entity[e.tag]}
                    rid = e.get("id")
                    if rid is not None:
                        o["id"] = rid
                    o.update(convert(e))
                    fout.write(dumps(o, ensure_ascii=False, separators=(",", ":")))
                    fout.write("\n")
                    accepted += 1
                else:
                    fq.write(etree.tostring(e, encoding="utf-8", with_tail=False) + b"\n")
                    quarantined += 1
                e.clear(keep_tail=False)
                while len(root):
                    del root[0]
            fq.write(b"</CaseBundle>\n")
    except etree.XMLSyntaxError as err:
        print(f"peer_xml: not well-formed: {err}", file=sys.stderr)
        return 3
    except OSError as err:
        print(f"peer_xml: {err}", file=sys.stderr)
        return 2
    counts = {"read": read, "accepted": accepted, "quarantined": quarantined,
              "schemaInvalid": schema_invalid, "semanticInvalid": semantic_invalid}
    line = json.dumps(counts)
    print(f"peer_xml: {line}", file=sys.stderr)
    if counts_path:
        with open(counts_path, "w") as f:
            f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
