#!/usr/bin/env python3
"""Benchmark peer: CSV -> per-row validation -> JSON Lines, with Python's csv and json modules.

    scripts/peer_csv.py IN.csv OUT.jsonl QUARANTINE.csv [--counts COUNTS.json]

It does, with the standard library only, roughly what `casebridge convert IN.csv --to jsonl` does per row with the
default CSV profile (Schemas/profiles/default-csv.json), so that `scripts/bench_csv.sh` can report paired ratios on
the same file:

  * reads the input with csv.reader (RFC 4180 quoting, newlines inside quoted fields; the first row is the header,
    counted as ignored like CaseBridge does; blank rows are ignored and counted);
  * rejects a row with more or fewer fields than the header;
  * checks the mapped columns when they are not empty: ip with the ipaddress module (which rejects IPv4 leading
    zeros; IPv6 zone ids are refused explicitly), port as an integer in 1..65535, observed_at with
    datetime.fromisoformat and a zone required (tzinfo is not None), email as local@domain with a dot in the
    domain, md5 as 32 hex digits;
  * writes each accepted row as one JSON object {header: cell, ...} (all cells as strings, in header order) with
    json.dumps(obj, ensure_ascii=False, separators=(",", ":")) to OUT, and each rejected row, re-serialised with
    csv.writer after a copy of the header, to QUARANTINE.

It is deliberately simpler than CaseBridge: one output object per row instead of the case, person, ipObservation,
onlineIdentifier and evidenceFile entities with ids and provenance; no input hashing, second pass, Unicode or
control-character checks; csv.reader is lenient about stray quotes. Counts go to stderr and, with --counts, to a
file. Exit status 0 when the file was processed (whatever was rejected), 2 on usage or I/O errors.
"""

from __future__ import annotations

import csv
import datetime
import ipaddress
import json
import sys

HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def check_ip(v: str) -> bool:
    if "%" in v:
        return False
    try:
        ipaddress.ip_address(v)
    except ValueError:
        return False
    return True


def check_port(v: str) -> bool:
    return v.isascii() and v.isdigit() and 1 <= int(v) <= 65535


def check_timestamp(v: str) -> bool:
    try:
        t = datetime.datetime.fromisoformat(v)
    except ValueError:
        return False
    return t.tzinfo is not None


def check_email(v: str) -> bool:
    local, at, domain = v.rpartition("@")
    return bool(at) and bool(local) and "@" not in local and "." in domain.strip(".") and " " not in v


def check_md5(v: str) -> bool:
    return len(v) == 32 and HEX_DIGITS.issuperset(v)


CHECKS = {"ip": check_ip, "port": check_port, "observed_at": check_timestamp, "email": check_email,
          "md5": check_md5}


def main(argv: list[str]) -> int:
    args = argv[1:]
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
    dumps = json.dumps
    try:
        with open(src, newline="", encoding="utf-8") as fin, \
             open(dst, "w", encoding="utf-8") as fout, \
             open(qpath, "w", newline="", encoding="utf-8") as fq:
            reader = csv.reader(fin)
            qwriter = csv.writer(fq, lineterminator="\n")
            header = next(reader, None)
            if header is None:
                print("peer_csv: empty input", file=sys.stderr)
                return 2
            ignored += 1  # the header row
            qwriter.writerow(header)
            width = len(header)
            checks = [(i, CHECKS[name]) for i, name in enumerate(header) if name in CHECKS]
            for row in reader:
                if not row:
                    ignored += 1
                    continue
                read += 1
                ok = len(row) == width
                if ok:
                    for i, check in checks:
                        v = row[i]
                        if v and not check(v):
                            ok = False
                            break
                if ok:
                    fout.write(dumps(dict(zip(header, row)), ensure_ascii=False, separators=(",", ":")))
                    fout.write("\n")
                    accepted += 1
                else:
                    qwriter.writerow(row)
                    quarantined += 1
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        print(f"peer_csv: {e}", file=sys.stderr)
        return 2
    counts = {"read": read, "accepted": accepted, "quarantined": quarantined, "ignored": ignored}
    line = json.dumps(counts)
    print(f"peer_csv: {line}", file=sys.stderr)
    if counts_path:
        with open(counts_path, "w") as f:
            f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
