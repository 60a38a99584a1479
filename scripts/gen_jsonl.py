#!/usr/bin/env python3
"""Deterministic generator of synthetic CaseBridge JSON Lines for benchmarks.

    scripts/gen_jsonl.py --records 1000000 [--seed 1] -o bench-out/inputs/records-1000000.jsonl

The output depends only on (--records, --seed) and this file: every pseudo-random draw comes from BLAKE2b of
(seed, record index, draw counter), never from the `random` module or the clock, so the same arguments give the
same bytes on every machine and Python 3 version. The SHA-256 of the file is printed on stdout.

What it writes, one canonical entity per line (members in the entity schema's order; see
Schemas/json/casebridge-entity-1.0.schema.json and Samples/jsonl/valid/case-0001.jsonl):

  * about 55 % ipObservation, 25 % person, 7 % account, 7 % evidenceFile, 6 % onlineIdentifier;
  * references (personId, accountId, holderPersonId, fileId, uploadObservationId) always point to an entity
    written EARLIER in the file, and never to a deliberately bad line, so they resolve;
  * about 0.1 % semantically bad lines, each of which a conforming reader must quarantine:
      - an IPv4 address with a leading zero ("203.0.113.010")        -> ip.invalid
      - a timestamp without a zone ("2024-03-01T10:00:07")            -> timestamp.missing-zone
      - an md5 digest of the wrong length (30 hex digits)             -> hash.length
  * strings with quotes, backslashes, \\n escapes and non-ASCII text (raw UTF-8 and \\uXXXX escapes);
  * only synthetic values: IPs from 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32, e-mail at
    example.com/.org/.net, phones +1 202 555-0100...0199, obviously fake names; ids are lower-case UUIDv5s of a
    counter; timestamps are UTC ("...Z") or {utc, original, offset} in 2023-2024 (all in the past).

A summary (counts by type, bad lines by kind) is printed to stderr and, with --stats FILE, written as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys
import uuid

NAMESPACE = uuid.UUID("6f1c2b1e-6a4e-5b6d-9d0e-2c5a0e0b0c0d")  # fixed, arbitrary

GIVEN = ["Testy", "Alpha", "Bravo", "Sample", "Placeholder", "Dummy", "Zoë", "Łukasz", "Ångström", "Ñandú",
         "Renée", "Siobhán", "Jürgen", "Ólafur", "Tëst", "示例"]
FAMILY = ["McTestface", "Example", "Exampleson", "Fictional", "Müller-Beispiel", "Testperson", "Nobody",
          "O'Placeholder", "Ünïcödé", "Probe", "Exemplar", "例子"]
CITIES = ["Anytown", "Springfield Example", "Testville", "Nowhere", "Sampleburg", "Exampleton"]
STATES = ["VA", "MD", "DC", "CA", "TX", "NY", "WA", "FL", "IL", "PA"]
SERVICES = ["ExampleChat", "SampleShare", "TestTube Example", "Placeholder Mail"]
DOMAINS = ["example.com", "example.org", "example.net"]
EVENTS = ["login", "logout", "registration", "purchase", "upload", "session", "other", "unknown"]
MIMES = [("jpg", "image/jpeg"), ("png", "image/png"), ("mp4", "video/mp4"), ("zip", "application/zip")]
NOTES = [
    'Said "hello" from C:\\Users\\example\\Desktop',
    "Line one of a note.\nLine two, after a newline.",
    "Tab\tseparated\tnote with a backslash \\ and a quote \"",
    "Nota en español: niño, acción, pingüino.",
    "Japanese sample: 例のテキスト",
    "Emoji in a note: \U0001F600 (synthetic)",
]
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
        msg = self.index.to_bytes(8, "little") + self.block.to_bytes(4, "little")
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
    """Lower-case ASCII letters and digits of text (for e-mail local parts), or fallback when none remain."""
    kept = "".join(c for c in text.lower() if c.isascii() and c.isalnum())
    return kept or fallback


def entity_id(seed: int, n: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"casebridge-bench/{seed}/{n}"))


def utc_text(seconds: int) -> str:
    return (EPOCH_2023 + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def timestamp(d: Draws, allow_offset: bool = True):
    """A UTC timestamp string, or (5 %) the {utc, original, offset} object of a local time with an offset."""
    s = d.below(SPAN_SECONDS)
    utc = utc_text(s)
    if allow_offset and d.chance(50):
        text, hours = d.choice(OFFSETS)
        local = EPOCH_2023 + dt.timedelta(seconds=s) + dt.timedelta(hours=hours)
        return {"utc": utc, "original": local.strftime("%Y-%m-%dT%H:%M:%S") + text, "offset": text}
    return utc


def ipv4(d: Draws) -> str:
    prefix = d.choice(["192.0.2.", "198.51.100.", "203.0.113."])
    return prefix + str(1 + d.below(254))


def ipv6(d: Draws):
    a, b = 1 + d.below(0xFFFF), 1 + d.below(0xFFFF)
    value = f"2001:db8::{a:x}:{b:x}"
    if d.chance(100):  # 10 % of IPv6: the expanded upper-case original kept beside the normalised value
        return {"value": value, "original": f"2001:DB8:0:0:0:0:{a:X}:{b:X}"}
    return value


class Generator:
    def __init__(self, seed: int):
        self.seed = seed
        self.persons: list[int] = []   # record numbers of good persons (referencable)
        self.accounts: list[int] = []
        self.files: list[int] = []
        self.uploads: list[int] = []   # good ipObservations with event "upload"
        self.counts: dict[str, int] = {}
        self.bad: dict[str, int] = {}

    def ref(self, d: Draws, pool: list[int]) -> str | None:
        return entity_id(self.seed, d.choice(pool)) if pool else None

    def record(self, n: int) -> tuple[dict, bool]:
        """Record n as a dict, and whether it is deliberately bad."""
        d = Draws(self.seed, n)
        if n == 0:
            kind = "person"
        else:
            r = d.below(100)
            kind = ("ipObservation" if r < 55 else "person" if r < 80 else "account" if r < 87
                    else "evidenceFile" if r < 94 else "onlineIdentifier")
        # ~0.1 % bad lines, only of the kinds that have a bad variant.
        # (ipObservation + evidenceFile are ~62 % of lines, so 16 in 10,000 of them is ~0.1 % of all lines.)
        bad = n > 0 and d.below(10000) < 16 and kind in ("ipObservation", "evidenceFile")
        rid = entity_id(self.seed, n)
        obj = getattr(self, kind)(d, rid, n, bad)
        self.counts[kind] = self.counts.get(kind, 0) + 1
        return obj, bad

    # -- entities, members in canonical order ------------------------------------------------------------

    def person(self, d: Draws, rid: str, n: int, bad: bool) -> dict:
        given, family = d.choice(GIVEN), d.choice(FAMILY)
        o: dict = {"type": "person", "id": rid}
        if d.chance(200):
            o["names"] = [{"full": f'{given} "{d.choice(["Ace", "Tester", "Nobody"])}" {family}'}]
        else:
            o["names"] = [{"given": given, "family": family}]
        if d.chance(600):
            o["dateOfBirth"] = f"{1950 + d.below(56)}-{1 + d.below(12):02d}-{1 + d.below(28):02d}"
        elif d.chance(300):
            o["approximateAge"] = 12 + d.below(60)
        if d.chance(400):
            o["addresses"] = [{"use": "home", "street": f"{1 + d.below(9999)} Example Street", "city": d.choice(CITIES),
                               "postalCode": f"{d.below(100000):05d}", "state": d.choice(STATES), "country": "US"}]
        if d.chance(500):
            number = f"+1202555{100 + d.below(100):04d}"
            if d.chance(300):
                o["phones"] = [{"number": {"value": number, "original": f"(202) 555-{number[-4:]}"}, "use": "mobile"}]
            else:
                o["phones"] = [{"number": number, "use": "mobile"}]
        if d.chance(700):
            local = f"{ascii_part(given, 'user')}.{ascii_part(family, 'example')}{n}"
            email: dict = {"address": f"{local}@{d.choice(DOMAINS)}", "use": "home"}
            if d.chance(300):
                email["verified"] = True
                email["verifiedAt"] = timestamp(d, allow_offset=False)
            o["emails"] = [email]
        if d.chance(100):
            o["notes"] = d.choice(NOTES)
        if not bad:
            self.persons.append(n)
        return o

    def account(self, d: Draws, rid: str, n: int, bad: bool) -> dict:
        service = d.choice(SERVICES)
        user = f"user_{n:07d}"
        o: dict = {"type": "account", "id": rid, "service": service, "accountIdentifier": str(100000000000000000 + n),
                   "usernames": [user]}
        if d.chance(500):
            o["displayNames"] = [d.choice(['Testy "The Tester"', "Zoë Example", "Back\\slash Example", "例の表示名"])]
        o["profileURLs"] = [f"https://chat.example.com/u/{user}"]
        o["createdAt"] = timestamp(d)
        holder = self.ref(d, self.persons)
        if holder:
            o["holderPersonId"] = holder
        if not bad:
            self.accounts.append(n)
        return o

    def onlineIdentifier(self, d: Draws, rid: str, n: int, bad: bool) -> dict:
        o: dict = {"type": "onlineIdentifier", "id": rid}
        r = d.below(3)
        if r == 0:
            local = f"someone.{n}"
            domain = d.choice(DOMAINS)
            o.update({"kind": "email", "value": f"{local}@{domain.upper()}", "normalized": f"{local}@{domain}"})
        elif r == 1:
            number = f"+1202555{100 + d.below(100):04d}"
            o.update({"kind": "phone", "value": number, "normalized": number})
        else:
            o.update({"kind": "username", "value": f"handle_{n}"})
        if d.chance(300):
            o["verified"] = True
        if self.accounts and d.chance(500):
            o["accountId"] = self.ref(d, self.accounts)
        elif self.persons:
            o["personId"] = self.ref(d, self.persons)
        # canonical order: kind, value, normalized, subtype, use, verified, verifiedAt, personId, accountId
        order = ["type", "id", "kind", "value", "normalized", "verified", "personId", "accountId"]
        return {k: o[k] for k in order if k in o}

    def ipObservation(self, d: Draws, rid: str, n: int, bad: bool) -> dict:
        o: dict = {"type": "ipObservation", "id": rid}
        o["ip"] = ipv6(d) if d.chance(150) else ipv4(d)
        if d.chance(600):
            o["port"] = 1024 + d.below(64000)
        o["observedAt"] = timestamp(d)
        event = d.choice(EVENTS)
        o["event"] = event
        if d.chance(50):
            o["possibleProxy"] = True
        if self.accounts and d.chance(500):
            o["accountId"] = self.ref(d, self.accounts)
        elif self.persons:
            o["personId"] = self.ref(d, self.persons)
        if event == "upload" and self.files and d.chance(300):
            o["fileId"] = self.ref(d, self.files)
        o["sourceProvider"] = d.choice(SERVICES)
        if bad:
            if d.below(2) == 0:
                o["ip"] = "203.0.113.010"
                self.bad["ip-leading-zero"] = self.bad.get("ip-leading-zero", 0) + 1
            else:
                o["observedAt"] = f"2024-03-01T10:00:{d.below(60):02d}"
                self.bad["timestamp-without-zone"] = self.bad.get("timestamp-without-zone", 0) + 1
        elif event == "upload":
            self.uploads.append(n)
        return o

    def evidenceFile(self, d: Draws, rid: str, n: int, bad: bool) -> dict:
        ext, mime = d.choice(MIMES)
        seed_bytes = f"bench-file-{self.seed}-{n}".encode()
        md5 = hashlib.md5(seed_bytes).hexdigest()
        sha256 = hashlib.sha256(seed_bytes).hexdigest()
        if bad:
            md5 = md5[:30]
            self.bad["md5-wrong-length"] = self.bad.get("md5-wrong-length", 0) + 1
        o: dict = {"type": "evidenceFile", "id": rid, "fileName": f"upload-{n:07d}.{ext}"}
        if d.chance(200):
            o["originalFileName"] = d.choice(["Bild für Probe.jpg", 'say "cheese".png', "C:\\tmp\\x.zip", "写真.jpg"])
        o["sizeBytes"] = 1 + d.below(50_000_000)
        o["mimeType"] = mime
        o["hashes"] = [{"algorithm": "md5", "hex": md5}, {"algorithm": "sha256", "hex": sha256}]
        if d.chance(300):
            o["category"] = {"scheme": "ExampleScheme", "code": str(1 + d.below(3)), "label": "Synthetic category"}
        o["viewedByESP"] = d.chance(500)
        o["uploadedAt"] = timestamp(d)
        if self.uploads and d.chance(300):
            o["uploadObservationId"] = self.ref(d, self.uploads)
        if not bad:
            self.files.append(n)
        return o


def serialize(obj: dict, n: int) -> bytes:
    """Line n of the file: every 40th line escapes non-ASCII as \\uXXXX; the rest carry raw UTF-8."""
    return json.dumps(obj, ensure_ascii=(n % 40 == 39), separators=(",", ":")).encode("utf-8") + b"\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, required=True, help="number of lines (records) to write")
    ap.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    ap.add_argument("-o", "--output", required=True, help="output file")
    ap.add_argument("--stats", help="also write the summary as JSON to this file")
    a = ap.parse_args()
    if a.records < 1 or a.seed < 0:
        ap.error("--records must be positive and --seed non-negative")

    g = Generator(a.seed)
    tmp = a.output + ".tmp"
    h = hashlib.sha256()
    size = 0
    bad_lines = 0
    with open(tmp, "wb") as f:
        buf: list[bytes] = []
        for n in range(a.records):
            obj, bad = g.record(n)
            bad_lines += bad
            line = serialize(obj, n)
            buf.append(line)
            if len(buf) >= 4096:
                chunk = b"".join(buf)
                h.update(chunk)
                f.write(chunk)
                size += len(chunk)
                buf.clear()
        chunk = b"".join(buf)
        h.update(chunk)
        f.write(chunk)
        size += len(chunk)
    os.replace(tmp, a.output)

    stats = {"records": a.records, "seed": a.seed, "bytes": size, "sha256": h.hexdigest(),
             "badLines": bad_lines, "badByKind": dict(sorted(g.bad.items())),
             "byType": dict(sorted(g.counts.items()))}
    print(f"{h.hexdigest()}  {a.output}")
    print(json.dumps(stats), file=sys.stderr)
    if a.stats:
        with open(a.stats, "w") as f:
            json.dump(stats, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
