#!/usr/bin/env python3
"""Deterministic generator of synthetic CSV for the CaseBridge CSV benchmark (default CSV profile).

    scripts/gen_csv.py --rows 1000000 [--seed 1] -o bench-out/csv/inputs/rows-1000000-seed1.csv [--stats FILE]

The output depends only on (--rows, --seed) and this file: every pseudo-random draw comes from BLAKE2b of
(seed, row index, draw counter), never from the `random` module or the clock, so the same arguments give the same
bytes on every machine and Python 3 version. The SHA-256 of the file is printed on stdout.

Header: case_number,first_name,last_name,ip,port,observed_at,email,md5,notes -- the first eight are columns of
CaseBridge's default CSV profile (Schemas/profiles/default-csv.json); `notes` is unmapped and kept as extras.
About 200 bytes per row (the notes column is sized to keep the average there). Written with Python's csv module
(RFC 4180 quoting, LF line ends, a field is quoted only when it needs it):

  * notes: about 30 % of rows carry a note with commas, about 15 % doubled quotes, about 8 % embedded newlines
    (LF inside a quoted field; notes never reach a single-line field, so newlines there are legal);
  * some last names carry a comma ("Exampleson, Jr.") or a double quote, so mapped fields are quoted too;
  * some names are non-ASCII UTF-8; port is empty in about 40 % of rows; md5 is empty in about half of them;
  * ip is IPv4 from 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (85 %) or IPv6 in 2001:db8::/32 (15 %);
  * observed_at is ISO 8601 with Z (80 %) or a +-HH:MM offset (20 %), in 2023-2024 (all before 2026-01-01);
  * e-mail at example.com/.org/.net; obviously fake names;
  * about 0.1 % semantically bad rows (10 in 10,000 draws, row 0 excepted), each with exactly one defect that a
    conforming reader must quarantine:
      - an IPv4 address with a leading-zero octet ("203.0.113.010")        -> ip.invalid
      - a timestamp without a zone ("2024-03-01T10:00:07")                 -> timestamp.missing-zone
      - an md5 digest of the wrong length (30 hex digits)                  -> hash.length

A summary (rows, bytes, physical lines, bad rows by kind, quoted/multi-line rows, and the entities the default
profile yields from the good rows) is printed to stderr and, with --stats FILE, written as JSON.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import os
import sys

HEADER = ["case_number", "first_name", "last_name", "ip", "port", "observed_at", "email", "md5", "notes"]

GIVEN = ["Testy", "Alpha", "Bravo", "Sample", "Placeholder", "Dummy", "Zoë", "Jürgen", "Renée", "Siobhán",
         "Ólafur", "Tëst", "Fakey", "Mock"]
FAMILY = ["McTestface", "Example", "Exampleson", "Fictional", "Müller-Beispiel", "Testperson", "Nobody",
          "O'Placeholder", "Probe", "Exemplar", "Fakerson", "Mockingbird"]
FAMILY_QUOTED = ['Exampleson, Jr.', 'Fictional, III', 'Nobody "Nobody" Example', 'Test, "Ace" Testperson']
DOMAINS = ["example.com", "example.org", "example.net"]
NOTE_WORDS = ["synthetic", "test", "record", "example", "placeholder", "benchmark", "value", "only", "fake",
              "sample", "note", "free", "text", "column", "kept", "as", "extras"]
OFFSETS = [("-05:00", -5), ("-08:00", -8), ("+01:00", 1), ("+05:30", 5.5), ("+09:00", 9)]

EPOCH_2023 = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
SPAN_SECONDS = 2 * 365 * 86400 - 86400  # 2023-01-01 ... 2024-12-30, all before --now 2026-01-01


class Draws:
    """Pseudo-random integers from BLAKE2b(seed, index, block); independent of the Python version."""

    __slots__ = ("key", "index", "block", "buf", "pos")

    def __init__(self, seed: int, index: int):
        self.key = seed.to_bytes(8, "little")
        self.index = index
        self.block = 0
        self.buf = b""
        self.pos = 0

    def _refill(self) -> None:
        msg = b"csv" + self.index.to_bytes(8, "little") + self.block.to_bytes(4, "little")
        self.buf = hashlib.blake2b(msg, key=self.key, digest_size=64).digest()
        self.block += 1
        self.pos = 0

    def below(self, n: int) -> int:
        """An integer in [0, n), n <= 2**32 (modulo bias is irrelevant here)."""
        if self.pos + 4 > len(self.buf):
            self._refill()
        v = int.from_bytes(self.buf[self.pos:self.pos + 4], "little")
        self.pos += 4
        return v % n

    def choice(self, seq):
        return seq[self.below(len(seq))]

    def chance(self, per_thousand: int) -> bool:
        return self.below(1000) < per_thousand


def ascii_part(text: str, fallback: str) -> str:
    kept = "".join(c for c in text.lower() if c.isascii() and c.isalnum())
    return kept or fallback


def observed_at(d: Draws) -> str:
    s = d.below(SPAN_SECONDS)
    t = EPOCH_2023 + dt.timedelta(seconds=s)
    if d.chance(200):
        text, hours = d.choice(OFFSETS)
        return (t + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S") + text
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def ip(d: Draws) -> str:
    if d.chance(150):
        return f"2001:db8::{1 + d.below(0xFFFF):x}:{1 + d.below(0xFFFF):x}"
    return d.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(1 + d.below(254))


def note(d: Draws) -> tuple[str, set[str]]:
    """Free text of 40-110 characters; sometimes with commas, doubled quotes or embedded newlines."""
    target = 40 + d.below(71)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < target:
        words.append(d.choice(NOTE_WORDS))
    text = " ".join(words)
    kinds: set[str] = set()
    if d.chance(300):
        cut = text.find(" ", len(text) // 3)
        if cut > 0:
            text = text[:cut] + "," + text[cut:]
        kinds.add("comma")
    if d.chance(150):
        text = 'said "' + d.choice(["hello", "not me", "test, test"]) + '" then ' + text
        kinds.add("quote")
    if d.chance(80):
        half = len(text) // 2
        text = text[:half].rstrip() + "\n" + text[half:].lstrip()
        if d.chance(300):
            text += "\nthird line"
        kinds.add("newline")
    return text, kinds


def row(seed: int, n: int, stats: dict) -> list[str]:
    d = Draws(seed, n)
    given = d.choice(GIVEN)
    family = d.choice(FAMILY_QUOTED) if d.chance(30) else d.choice(FAMILY)
    case_number = f"CB-{2023 + d.below(2)}-{n:08d}"
    address = ip(d)
    port = str(1024 + d.below(64000)) if d.chance(600) else ""
    when = observed_at(d)
    email = f"{ascii_part(given, 'user')}.{ascii_part(family, 'example')}.{n}@{d.choice(DOMAINS)}"
    md5 = hashlib.md5(f"csv-bench-file-{seed}-{n}".encode()).hexdigest() if d.chance(500) else ""
    text, kinds = note(d) if d.chance(900) else ("", set())
    bad = n > 0 and d.below(10000) < 10
    kind = None
    if bad:
        r = d.below(3)
        if r == 0:
            address, kind = "203.0.113.010", "ip-leading-zero"
        elif r == 1:
            when, kind = f"2024-03-01T10:00:{d.below(60):02d}", "timestamp-without-zone"
        else:
            md5 = hashlib.md5(f"csv-bench-bad-{seed}-{n}".encode()).hexdigest()[:30]
            kind = "md5-wrong-length"
        stats["badByKind"][kind] = stats["badByKind"].get(kind, 0) + 1
        stats["badRows"] += 1
    else:
        # Entities the default profile yields from a good row: case, person, ipObservation, the e-mail
        # onlineIdentifier, and an evidenceFile when md5 is present.
        e = stats["goodEntities"]
        for t in ("case", "person", "ipObservation", "onlineIdentifier"):
            e[t] = e.get(t, 0) + 1
        if md5:
            e["evidenceFile"] = e.get("evidenceFile", 0) + 1
    for k in kinds:
        stats["notesWith"][k] = stats["notesWith"].get(k, 0) + 1
    return [case_number, given, family, address, port, when, email, md5, text]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True, help="number of data rows (records) to write")
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument("-o", "--output", required=True, help="output file")
    ap.add_argument("--stats", help="also write the summary as JSON to this file")
    a = ap.parse_args()
    if a.rows < 1 or a.seed < 0:
        ap.error("--rows must be positive and --seed non-negative")

    stats: dict = {"rows": a.rows, "seed": a.seed, "badRows": 0, "badByKind": {}, "notesWith": {},
                   "goodEntities": {}}
    tmp = a.output + ".tmp"
    h = hashlib.sha256()
    size = 0
    lines = 0
    quoted = 0
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    with open(tmp, "wb") as f:

        def flush() -> None:
            nonlocal size, lines
            chunk = buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
            h.update(chunk)
            f.write(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")

        w.writerow(HEADER)
        for n in range(a.rows):
            r = row(a.seed, n, stats)
            if any(("," in c or '"' in c or "\n" in c) for c in r):
                quoted += 1
            w.writerow(r)
            if n % 4096 == 4095:
                flush()
        flush()
    os.replace(tmp, a.output)

    stats.update({"bytes": size, "sha256": h.hexdigest(), "physicalLines": lines, "quotedRows": quoted,
                  "goodRows": a.rows - stats["badRows"]})
    stats["badByKind"] = dict(sorted(stats["badByKind"].items()))
    stats["notesWith"] = dict(sorted(stats["notesWith"].items()))
    stats["goodEntities"] = dict(sorted(stats["goodEntities"].items()))
    stats["goodEntitiesTotal"] = sum(stats["goodEntities"].values())
    print(f"{h.hexdigest()}  {a.output}")
    print(json.dumps(stats), file=sys.stderr)
    if a.stats:
        with open(a.stats, "w") as f:
            json.dump(stats, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
