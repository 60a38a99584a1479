#!/usr/bin/env python3
"""Benchmark peer: DuckDB's COPY, for scripts/bench_csv.sh and scripts/bench_jsonl_csv.sh.

    peer_duckdb.py csv-jsonl IN.csv OUT.jsonl [--counts COUNTS.json]
    peer_duckdb.py jsonl-csv IN.jsonl OUT.csv [--counts COUNTS.json]

Run it with the benchmark's venv python (duckdb from PyPI). No validation and no quarantine: DuckDB converts, with
its default settings (an in-memory database, as many threads as cores):

  csv-jsonl   COPY (SELECT * FROM read_csv('IN')) TO 'OUT' (FORMAT json): the CSV sniffer detects dialect, header
              and column types (port BIGINT, observed_at TIMESTAMP WITH TIME ZONE, ...); the JSON COPY writes
              newline-delimited JSON (one object per row) unless ARRAY true is given.
  jsonl-csv   COPY (SELECT * FROM read_json('IN', format='newline_delimited')) TO 'OUT' (HEADER): the JSON reader
              infers one schema for all lines (the union of the members of the five entity types, from its sample
              of the first 20,480 lines; lists and structs as DuckDB LIST/STRUCT, members of mixed type as JSON);
              the CSV writer renders nested values in DuckDB's text form ([{'algorithm': md5, ...}]). One CSV row
              per input line.

COPY's row count (and the DuckDB version) goes to stderr and, with --counts, to a file as {"rows": N}.
"""

from __future__ import annotations

import json
import sys

import duckdb


def quoted(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


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
    if len(args) != 3 or args[0] not in ("csv-jsonl", "jsonl-csv"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, src, dst = args
    if mode == "csv-jsonl":
        sql = f"COPY (SELECT * FROM read_csv({quoted(src)})) TO {quoted(dst)} (FORMAT json)"
    else:
        sql = (f"COPY (SELECT * FROM read_json({quoted(src)}, format='newline_delimited')) "
               f"TO {quoted(dst)} (HEADER)")
    con = duckdb.connect()
    rows = con.execute(sql).fetchone()[0]
    con.close()
    print(f"peer_duckdb: duckdb {duckdb.__version__}, {mode}, {rows} rows", file=sys.stderr)
    if counts_path:
        with open(counts_path, "w") as f:
            f.write(json.dumps({"rows": rows}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
