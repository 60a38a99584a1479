#!/usr/bin/env python3
"""Benchmark peer: polars, with its streaming engine, for scripts/bench_csv.sh and scripts/bench_jsonl_csv.sh.

    peer_polars.py csv-jsonl IN.csv OUT.jsonl
    peer_polars.py jsonl-csv IN.jsonl OUT.csv

Run it with the benchmark's venv python (polars from PyPI). No validation and no quarantine: polars converts.

  csv-jsonl   pl.scan_csv(IN).sink_ndjson(OUT, engine="streaming"): polars' own CSV reader (RFC 4180 quoting,
              newlines in quoted fields; column types inferred from the first 100 rows, polars' default) and
              JSON Lines writer, one object per data row.
  jsonl-csv   pl.scan_ndjson(IN, infer_schema_length=None).select(...).sink_csv(OUT, engine="streaming"). The
              benchmark's JSON Lines hold five entity types with different members, so the schema is inferred
              from EVERY line (infer_schema_length=None: polars reads the file once for the schema, then again to
              convert; the default of 100 lines misses members and fails later) and is the union of all members:
              one CSV with one column per member name, empty where a line has no such member. CSV cannot hold
              nested values ("CSV format does not support nested data"), so every list or struct column is
              written as its JSON text (struct.json_encode on a one-field struct, the field name stripped again);
              a member that is a string on some lines and an object on others polars already reads as a string
              column holding the object's JSON text. One CSV row per input line.

The polars version goes to stderr.
"""

from __future__ import annotations

import json
import sys

import polars as pl


def nested_as_json(name: str) -> pl.Expr:
    """A list or struct column as its JSON text (null stays null)."""
    prefix = json.dumps({name: 0}, separators=(",", ":"))[:-2]  # '{"name":'
    text = pl.struct(pl.col(name)).struct.json_encode().str.strip_prefix(prefix).str.strip_suffix("}")
    return pl.when(pl.col(name).is_null()).then(None).otherwise(text).alias(name)


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[1] not in ("csv-jsonl", "jsonl-csv"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, src, dst = argv[1:]
    if mode == "csv-jsonl":
        pl.scan_csv(src).sink_ndjson(dst, engine="streaming")
    else:
        lf = pl.scan_ndjson(src, infer_schema_length=None)
        schema = lf.collect_schema()
        cols = [nested_as_json(n) if t.is_nested() else pl.col(n) for n, t in schema.items()]
        lf.select(cols).sink_csv(dst, engine="streaming")
    print(f"peer_polars: polars {pl.__version__}, {mode}, engine=streaming", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
