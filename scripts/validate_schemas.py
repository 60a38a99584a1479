#!/usr/bin/env python3
"""Validate CaseBridge artifacts against the JSON Schemas in Schemas/json/.

usage: validate_schemas.py SCHEMA_DIR KIND FILE [KIND FILE ...]
KIND is one of: bundle (a case bundle document), jsonl (entities, one per line),
diagnostics (quarantine diagnostics lines), report (a run report), profile (a mapping profile),
match (a casebridge match result, match.json), batch-report (REPORTS/<run-id>.json of casebridge batch).
Exit 0 when every file validates; 1 with located messages otherwise; 3 when jsonschema is missing.
"""
import json
import pathlib
import sys

try:
    import jsonschema
    from referencing import Registry, Resource
except ImportError:
    print("jsonschema is not installed (pip install jsonschema)", file=sys.stderr)
    sys.exit(3)


def main(argv):
    schema_dir = pathlib.Path(argv[1])
    schemas = {}
    resources = []
    for p in sorted(schema_dir.glob("*.schema.json")):
        doc = json.loads(p.read_text())
        schemas[p.name] = doc
        resources.append((doc["$id"], Resource.from_contents(doc)))
    registry = Registry().with_resources(resources)

    def validator(name):
        schema = schemas[name]
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        return cls(schema, registry=registry, format_checker=cls.FORMAT_CHECKER)

    kinds = {
        "bundle": ("casebridge-bundle-1.0.schema.json", False),
        "jsonl": ("casebridge-entity-1.0.schema.json", True),
        "diagnostics": ("casebridge-diagnostic-1.0.schema.json", True),
        "report": ("casebridge-report-1.0.schema.json", False),
        "profile": ("profile-1.0.schema.json", False),
        "match": ("casebridge-match-1.1.schema.json", False),
        "batch-report": ("casebridge-batch-report-1.0.schema.json", False),
    }
    failures = 0
    checked = 0
    args = argv[2:]
    for kind, path in zip(args[0::2], args[1::2]):
        name, per_line = kinds[kind]
        v = validator(name)
        text = pathlib.Path(path).read_text(encoding="utf-8")
        docs = [(i + 1, json.loads(l)) for i, l in enumerate(text.splitlines()) if l.strip()] if per_line else [(1, json.loads(text))]
        for line, doc in docs:
            checked += 1
            for err in sorted(v.iter_errors(doc), key=lambda e: list(e.absolute_path)):
                failures += 1
                where = "/" + "/".join(str(x) for x in err.absolute_path)
                print(f"{path}:{line}: {where}: {err.message[:200]}", file=sys.stderr)
    print(f"{checked} documents checked, {failures} schema violations")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
