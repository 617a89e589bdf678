#!/usr/bin/env python3
"""validate-json.py SCHEMA FILE: every non-empty line of FILE is a JSON object valid against
SCHEMA (mailtrace's output format); says the first that is not."""
import json
import sys

import jsonschema

with open(sys.argv[1], encoding="utf-8") as f:
    validator = jsonschema.Draft202012Validator(json.load(f))
n = 0
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        if not line.strip():
            continue
        n += 1
        error = jsonschema.exceptions.best_match(validator.iter_errors(json.loads(line)))
        if error is not None:
            print(f"line {n}: {error.message} at {list(error.absolute_path)}")
            sys.exit(1)
sys.exit(0 if n > 0 else 1)
