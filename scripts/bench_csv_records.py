#!/usr/bin/env python3
"""Counts the records of CSV files for the benchmark's checks (outside the timed runs).

    scripts/bench_csv_records.py COUNTS.json PATH...

Each PATH is a CSV file or a directory of *.csv files (casebridge --to csv -o DIR). A record is a CSV row after the
header, read with Python's csv module (so a newline inside a quoted field does not start a record). Writes
{"records": total, "files": {name: {"records": n, "columns": header width, "ragged": rows of another width}}}.
"""

from __future__ import annotations

import csv
import json
import os
import sys


def count(path: str) -> dict:
    csv.field_size_limit(1 << 30)
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows, [])
        n = ragged = 0
        for row in rows:
            n += 1
            ragged += len(row) != len(header)
    return {"records": n, "columns": len(header), "ragged": ragged}


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    files = {}
    for p in argv[2:]:
        names = sorted(os.path.join(p, x) for x in os.listdir(p) if x.endswith(".csv")) if os.path.isdir(p) else [p]
        for name in names:
            files[os.path.basename(name)] = count(name)
    with open(argv[1], "w") as f:
        json.dump({"records": sum(x["records"] for x in files.values()), "files": files}, f)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
