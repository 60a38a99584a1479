#!/usr/bin/env python3
"""Benchmark peer: JSON Lines -> per-record validation -> JSON Lines, with Python's json module.

    scripts/peer_json.py IN.jsonl OUT.jsonl QUARANTINE.jsonl [--counts COUNTS.json]

It does, with the standard library only, roughly what `casebridge convert --from jsonl --to jsonl` does per record,
so that `scripts/bench.sh` can report paired ratios on the same file:

  * reads the input line by line (blank lines are ignored and counted);
  * parses each line with json.loads (a line that is not JSON, or not an object, is rejected);
  * checks the required members of the entity type (per Schemas/json/casebridge-entity-1.0.schema.json);
  * checks every IP field (ipObservation.ip, ipAssignment.ip, as a string or {value, original}) with the
    ipaddress module (which rejects IPv4 leading zeros and IPv6 zone ids are refused explicitly);
  * checks every timestamp field (string or {utc, original}) with datetime.fromisoformat and requires a zone
    (tzinfo is not None);
  * checks digest lengths of evidenceFile.hashes for the common algorithms;
  * writes each accepted record re-serialised with json.dumps(obj, sort_keys=False, separators=(",", ":")) to OUT,
    and each rejected line, as read, to QUARANTINE.

It is deliberately simpler than CaseBridge (no reference resolution, no duplicate-id check, no e-mail, phone,
Unicode or canonical-order checks); the benchmark report says so. Counts go to stderr and, with --counts, to a file.
Exit status 0 when the file was processed (whatever was rejected), 2 on usage or I/O errors.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import sys

REQUIRED = {
    "case": ("id",),
    "agency": ("id", "name"),
    "person": ("id",),
    "roleAssignment": ("id", "personId", "role"),
    "account": ("id",),
    "onlineIdentifier": ("id", "kind", "value"),
    "ipObservation": ("id", "ip"),
    "ipAssignment": ("id", "ip"),
    "legalProcess": ("id", "kind"),
    "evidenceFile": ("id",),
    "event": ("id", "kind"),
}
TIMESTAMPS = {
    "case": ("openedAt",),
    "roleAssignment": ("validFrom", "validTo"),
    "account": ("createdAt", "disabledAt"),
    "onlineIdentifier": ("verifiedAt",),
    "ipObservation": ("observedAt",),
    "ipAssignment": ("leaseStart", "leaseEnd"),
    "legalProcess": ("issuedAt", "servedAt", "requestedFrom", "requestedTo", "responseReceivedAt"),
    "evidenceFile": ("uploadedAt",),
    "event": ("at",),
}
HEX_LENGTH = {"md5": 32, "sha1": 40, "sha224": 56, "sha256": 64, "sha384": 96, "sha512": 128,
              "sha3-256": 64, "sha3-512": 128}
HEX_DIGITS = frozenset("0123456789abcdef")


def check_ip(v) -> bool:
    if isinstance(v, dict):
        v = v.get("value")
    if not isinstance(v, str) or "%" in v:
        return False
    try:
        ipaddress.ip_address(v)
    except ValueError:
        return False
    return True


def check_timestamp(v) -> bool:
    if isinstance(v, dict):
        v = v.get("utc")
    if not isinstance(v, str):
        return False
    try:
        t = datetime.datetime.fromisoformat(v)
    except ValueError:
        return False
    return t.tzinfo is not None


def check_contact_times(items) -> bool:
    if not isinstance(items, list):
        return False
    for c in items:
        if isinstance(c, dict) and "verifiedAt" in c and not check_timestamp(c["verifiedAt"]):
            return False
    return True


def valid(o) -> bool:
    if not isinstance(o, dict):
        return False
    t = o.get("type")
    required = REQUIRED.get(t)
    if required is None:
        return False
    for k in required:
        if k not in o:
            return False
    if "ip" in o and not check_ip(o["ip"]):
        return False
    for k in TIMESTAMPS.get(t, ()):
        if k in o and not check_timestamp(o[k]):
            return False
    if t == "person":
        if "emails" in o and not check_contact_times(o["emails"]):
            return False
        if "phones" in o and not check_contact_times(o["phones"]):
            return False
    elif t == "evidenceFile":
        for h in o.get("hashes", ()):
            if not isinstance(h, dict):
                return False
            hx = h.get("hex")
            n = HEX_LENGTH.get(h.get("algorithm"))
            if n is None or not isinstance(hx, str) or len(hx) != n or not HEX_DIGITS.issuperset(hx):
                return False
    return True


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
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, dst, qpath = args
    read = accepted = quarantined = ignored = 0
    dumps, loads = json.dumps, json.loads
    try:
        with open(src, "rb") as fin, open(dst, "w", encoding="utf-8") as fout, open(qpath, "wb") as fq:
            for raw in fin:
                if not raw.strip():
                    ignored += 1
                    continue
                read += 1
                try:
                    o = loads(raw)
                except ValueError:  # JSONDecodeError and UnicodeDecodeError
                    o = None
                if o is not None and valid(o):
                    fout.write(dumps(o, sort_keys=False, separators=(",", ":")))
                    fout.write("\n")
                    accepted += 1
                else:
                    fq.write(raw if raw.endswith(b"\n") else raw + b"\n")
                    quarantined += 1
    except OSError as e:
        print(f"peer_json: {e}", file=sys.stderr)
        return 2
    counts = {"read": read, "accepted": accepted, "quarantined": quarantined, "ignored": ignored}
    line = json.dumps(counts)
    print(f"peer_json: {line}", file=sys.stderr)
    if counts_path:
        with open(counts_path, "w") as f:
            f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
