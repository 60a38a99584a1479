#!/usr/bin/env python3
"""Deterministic CaseBridge XML benchmark input: the records of scripts/gen_jsonl.py, written by casebridge.

    scripts/gen_xml.py --records N [--seed S] --casebridge BIN --work DIR -o OUT.xml [--stats OUT.stats.json]

The XML holds the SAME records, in the same order, as `gen_jsonl.py --records N --seed S` (whose SHA-256 it
reports as jsonlSha256, so the harness can check it against the JSON Lines benchmark input), one entity element per
record under <CaseBundle xmlns="urn:casebridge:xml:case:1.0" casebridgeVersion="1.0">, including the ~0.1 %
deliberately bad records. casebridge would quarantine those when converting, so the file is made in three steps:

 1. TWIN: the generator's records are written as JSON Lines, except that each bad record is written repaired
    (its "twin"): IPv4 "203.0.113.010" -> "203.0.113.10", a timestamp without zone gets "Z", a 30-digit md5 gets
    "00" appended. The bad records are remembered (record index, kind, repaired text, bad text).
 2. `BIN convert TWIN.jsonl --from jsonl --to xml -o TWIN.xml` (validation on; the harness's release CLI); every
    record must be accepted (read == accepted == N, quarantined 0).
 3. The writer's output is streamed line by line (the writer indents by two spaces, one element per line, and
    escapes "<" in text, so a line starting with two spaces and "<" + a letter opens a record): every record's
    `id` attribute must be the generator's id of that index (order and completeness); the entity's <Provenance>
    block, which the conversion added (naming TWIN.jsonl), is removed so the records carry what the JSON Lines
    input carries; and in each bad record the repaired text is replaced by the bad text, exactly once.

Kinds of bad records and what they exercise in CaseBridge's XML reader:
  * timestamp-without-zone (ObservationDateTime "2024-03-01T10:00:SS"): fails the XSD (ZonedTimestampType) ->
    schema validation quarantines it (also what the C walk's streaming validation counts as invalid);
  * ip-leading-zero (IPAddress "203.0.113.010") and md5-wrong-length (a 30-digit HashValueText): valid per the XSD
    (xs:string, [0-9a-f]+) -> CaseBridge's semantic / field rules quarantine them (ip.invalid, hash.length).

The output depends only on (N, S), gen_jsonl.py, this file and the casebridge writer. Summary printed to stderr
and, with --stats, written as JSON (records, bytes, sha256, badRecords, badByKind, schemaInvalid,
semanticInvalid, byType, jsonlSha256, jsonlBytes, twinSha256, ...).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_jsonl  # noqa: E402  (the same generator, so the same records)

SCHEMA_INVALID_KINDS = {"timestamp-without-zone"}


def repair(obj: dict) -> tuple[dict, str, str, str]:
    """The repaired twin of a bad record, its kind, and the (repaired, bad) texts as they appear in the XML."""
    twin = copy.deepcopy(obj)
    if obj["type"] == "ipObservation":
        if obj["ip"] == "203.0.113.010":
            twin["ip"] = "203.0.113.10"
            return twin, "ip-leading-zero", "<IPAddress>203.0.113.10</IPAddress>", "<IPAddress>203.0.113.010</IPAddress>"
        bad = obj["observedAt"]
        if not isinstance(bad, str) or not re.fullmatch(r"2024-03-01T10:00:[0-9]{2}", bad):
            raise SystemExit(f"gen_xml: unexpected bad ipObservation {obj['id']}")
        twin["observedAt"] = bad + "Z"
        return (twin, "timestamp-without-zone", f"<ObservationDateTime>{bad}Z</ObservationDateTime>",
                f"<ObservationDateTime>{bad}</ObservationDateTime>")
    if obj["type"] == "evidenceFile":
        md5 = obj["hashes"][0]["hex"]
        if obj["hashes"][0]["algorithm"] != "md5" or len(md5) != 30:
            raise SystemExit(f"gen_xml: unexpected bad evidenceFile {obj['id']}")
        twin["hashes"][0]["hex"] = md5 + "00"
        return twin, "md5-wrong-length", f"<HashValueText>{md5}00</HashValueText>", f"<HashValueText>{md5}</HashValueText>"
    raise SystemExit(f"gen_xml: no bad variant for type {obj['type']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--casebridge", required=True, help="the casebridge binary that writes XML (--to xml)")
    ap.add_argument("--work", required=True, help="scratch directory for the twin files (kept for inspection)")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--stats")
    a = ap.parse_args()
    if a.records < 1 or a.seed < 0:
        ap.error("--records must be positive and --seed non-negative")
    os.makedirs(a.work, exist_ok=True)

    # 1. twin JSON Lines, and the SHA-256 of the JSON Lines gen_jsonl.py writes for the same arguments.
    g = gen_jsonl.Generator(a.seed)
    twin_path = os.path.join(a.work, f"twin-{a.records}-seed{a.seed}.jsonl")
    jh, th = hashlib.sha256(), hashlib.sha256()
    jbytes = 0
    bad: dict[int, tuple[str, bytes, bytes]] = {}
    by_kind: dict[str, int] = {}
    with open(twin_path, "wb") as f:
        for n in range(a.records):
            obj, is_bad = g.record(n)
            line = gen_jsonl.serialize(obj, n)
            jh.update(line)
            jbytes += len(line)
            if is_bad:
                twin, kind, good_text, bad_text = repair(obj)
                bad[n] = (kind, good_text.encode(), bad_text.encode())
                by_kind[kind] = by_kind.get(kind, 0) + 1
                line = gen_jsonl.serialize(twin, n)
            th.update(line)
            f.write(line)
    if by_kind != g.bad:
        raise SystemExit(f"gen_xml: bad kinds {by_kind} != generator's {g.bad}")

    # 2. casebridge writes the twin as CaseBridge XML; every record must be accepted.
    twin_xml = os.path.join(a.work, f"twin-{a.records}-seed{a.seed}.xml")
    report = os.path.join(a.work, "twin-report.json")
    qdir = os.path.join(a.work, "twin-quarantine")
    cmd = [a.casebridge, "convert", twin_path, "--from", "jsonl", "--to", "xml", "-o", twin_xml, "--quarantine", qdir,
           "--report", report, "--now", "2026-01-01T00:00:00Z", "--run-id", "gen-xml"]
    rc = subprocess.run(cmd, stdout=subprocess.DEVNULL).returncode
    t = json.load(open(report))["totals"] if os.path.exists(report) else None
    if rc != 0 or t is None or (t["read"], t["accepted"], t["quarantined"]) != (a.records, a.records, 0):
        raise SystemExit(f"gen_xml: `{' '.join(cmd)}` exited {rc}; totals {t}: every twin record must be accepted")

    # 3. stream the writer's XML: check ids, drop Provenance, inject the bad texts.
    expect_id = [gen_jsonl.entity_id(a.seed, n) for n in range(a.records)]
    record_open = re.compile(rb'^  <([A-Za-z]+) id="([^"]+)"')
    tmp = a.output + ".tmp"
    h = hashlib.sha256()
    size = 0
    k = -1  # current record index
    injected = 0
    dropped = 0
    in_prov = False
    pending: tuple[str, bytes, bytes] | None = None
    by_type: dict[str, int] = {}
    with open(twin_xml, "rb") as fin, open(tmp, "wb") as fout:
        out: list[bytes] = []
        for line in fin:
            if in_prov:
                if line == b"    </Provenance>\n":
                    in_prov = False
                continue
            if line.startswith(b"  <") and line[3:4].isalpha():
                if pending is not None:
                    raise SystemExit(f"gen_xml: record {k}: the repaired text was not found")
                m = record_open.match(line)
                k += 1
                if m is None or k >= a.records or m.group(2).decode() != expect_id[k]:
                    raise SystemExit(f"gen_xml: record {k} of the writer's XML does not open with the id of record {k}")
                by_type[m.group(1).decode()] = by_type.get(m.group(1).decode(), 0) + 1
                pending = bad.get(k)
            elif line == b"    <Provenance>\n":
                in_prov = True
                dropped += 1
                continue
            if pending is not None and pending[1] in line:
                if line.count(pending[1]) != 1:
                    raise SystemExit(f"gen_xml: record {k}: the repaired text appears more than once on a line")
                line = line.replace(pending[1], pending[2])
                pending = None
                injected += 1
            out.append(line)
            if len(out) >= 8192:
                chunk = b"".join(out)
                h.update(chunk)
                fout.write(chunk)
                size += len(chunk)
                out.clear()
        chunk = b"".join(out)
        h.update(chunk)
        fout.write(chunk)
        size += len(chunk)
    if pending is not None or k + 1 != a.records or injected != len(bad) or dropped != a.records:
        raise SystemExit(f"gen_xml: records {k + 1}/{a.records}, injected {injected}/{len(bad)}, "
                         f"provenance blocks removed {dropped}/{a.records}")
    os.replace(tmp, a.output)

    stats = {
        "records": a.records, "seed": a.seed, "bytes": size, "sha256": h.hexdigest(),
        "badRecords": len(bad), "badByKind": dict(sorted(by_kind.items())),
        "schemaInvalid": sum(v for kk, v in by_kind.items() if kk in SCHEMA_INVALID_KINDS),
        "semanticInvalid": sum(v for kk, v in by_kind.items() if kk not in SCHEMA_INVALID_KINDS),
        "byType": dict(sorted(g.counts.items())), "byElement": dict(sorted(by_type.items())),
        "jsonlSha256": jh.hexdigest(), "jsonlBytes": jbytes, "twinSha256": th.hexdigest(),
        "twinXmlBytes": os.path.getsize(twin_xml), "provenanceBlocksRemoved": dropped,
    }
    print(f"{stats['sha256']}  {a.output}")
    print(json.dumps(stats), file=sys.stderr)
    if a.stats:
        with open(a.stats, "w") as f:
            json.dump(stats, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
