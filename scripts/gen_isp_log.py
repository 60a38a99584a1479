#!/usr/bin/env python3
"""Deterministic provider IP log (Placeholder Games layout) for the isp-log benchmark.

    scripts/gen_isp_log.py --rows N [--seed S] -o OUT.log [--stats STATS.json]

Header: user_id,username,ip_address,first_recorded_epoch,last_recorded_ms,last_observed_port (the layout of
Schemas/profiles/providers/placeholder-games-iplog.json). Synthetic values only: user ids are 8-digit numbers,
usernames "player_<n>", addresses from 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 100.64.0.0/10 (CGNAT, always
with a port) and 2001:db8::/32; times in February 2024 (epoch seconds, then milliseconds). About 0.1 % of the rows
are wrong on purpose, in equal shares: an epoch-unit mismatch (a millisecond value in the seconds column), an IPv4
address with a leading-zero octet, an IPv6 address with a zone id, a port out of range. Same seed, same bytes; the
SHA-256 and the counts are printed (and written to --stats as JSON).
"""
import argparse
import hashlib
import json
import random
import sys

HEADER = "user_id,username,ip_address,first_recorded_epoch,last_recorded_ms,last_observed_port\n"
BASE = 1706745600  # 2024-02-01T00:00:00Z


def address(rng):
    k = rng.random()
    if k < 0.25:
        return f"192.0.2.{rng.randrange(1, 255)}"
    if k < 0.5:
        return f"198.51.100.{rng.randrange(1, 255)}"
    if k < 0.7:
        return f"203.0.113.{rng.randrange(1, 255)}"
    if k < 0.85:
        return f"100.{rng.randrange(64, 128)}.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"
    return f"2001:db8:{rng.randrange(0, 0x10000):x}::{rng.randrange(1, 0x10000):x}"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--stats")
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    h = hashlib.sha256()
    bad = {"timestamp.epoch-unit-mismatch": 0, "ip.invalid": 0, "ip.zone-id": 0, "port.invalid": 0}
    bad_rules = list(bad)
    with open(a.output, "wb") as f:
        def put(s):
            b = s.encode("utf-8")
            h.update(b)
            f.write(b)

        put(HEADER)
        buf = []
        for i in range(a.rows):
            user = 10_000_000 + rng.randrange(0, 90_000_000)
            ip = address(rng)
            first = BASE + rng.randrange(0, 28 * 86400)
            last_ms = (first + rng.randrange(0, 86400)) * 1000 + rng.randrange(0, 1000)
            port = rng.randrange(1024, 65536)
            first_text = str(first)
            if rng.random() < 0.001:
                rule = bad_rules[rng.randrange(len(bad_rules))]
                bad[rule] += 1
                if rule == "timestamp.epoch-unit-mismatch":
                    first_text = str(first * 1000)
                elif rule == "ip.invalid":
                    ip = f"010.{rng.randrange(0, 256)}.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"
                elif rule == "ip.zone-id":
                    ip = "fe80::1%eth0"
                else:
                    port = 70000
            buf.append(f"{user},player_{user % 100000},{ip},{first_text},{last_ms},{port}\n")
            if len(buf) >= 10000:
                put("".join(buf))
                buf = []
        put("".join(buf))
    stats = {"rows": a.rows, "seed": a.seed, "sha256": h.hexdigest(), "badRows": sum(bad.values()), "badByRule": bad}
    if a.stats:
        with open(a.stats, "w") as s:
            json.dump(stats, s, indent=2, sort_keys=True)
            s.write("\n")
    print(json.dumps(stats, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
