#!/usr/bin/env python3
"""Every JSON line mailtrace prints validates against doc/mailtrace.schema.json (format 1):
explain over every test message (and the SpamAssassin corpus when it is cached), with an
unreadable input and a file that is not mail, then again once contacts are learned; contacts
list and show; relays list. Each line is also checked for its input: one line an input."""
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

source = os.environ["MT_SOURCE"]
binary = os.environ["MT_BINARY"]
data = os.environ["MT_TEST_DATA"]
with open(os.path.join(source, "doc", "mailtrace.schema.json"), encoding="utf-8") as f:
    schema = json.load(f)
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
failures = 0
checked = 0


def run(home, *args, stdin=None):
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, "config"),
               XDG_DATA_HOME=os.path.join(home, "data"), MAILTRACE_SYSCONFDIR="/nonexistent")
    geo = ["--country-db", os.environ["MT_TEST_COUNTRY_DB"], "--asn-db", os.environ["MT_TEST_ASN_DB"]]
    cmd = [binary, args[0]] + geo + list(args[1:])
    return subprocess.run(cmd, env=env, capture_output=True, text=True, input=stdin)


def validate(what, out):
    global failures, checked
    lines = [l for l in out.splitlines() if l]
    for line in lines:
        obj = json.loads(line)
        errors = sorted(validator.iter_errors(obj), key=lambda e: e.path)
        checked += 1
        if errors:
            failures += 1
            e = errors[0]
            print(f"not ok - {what}: {e.message} at {list(e.absolute_path)}: {line[:200]}")
    return lines


with tempfile.TemporaryDirectory() as home:
    messages = sorted(glob.glob(os.path.join(data, "**", "*.eml"), recursive=True))
    corpus = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")),
                          "mailtrace", "spam-assassin-0.2.3", "data")
    sample = sorted(glob.glob(os.path.join(corpus, "*", "*.txt")))[::20]
    notmail = os.path.join(home, "notmail.txt")
    with open(notmail, "w") as f:
        f.write("just some words\n")
    inputs = messages + sample + ["/nonexistent/message.eml", notmail]
    r = run(home, "explain", "-j", *inputs)
    lines = validate("explain", r.stdout)
    if len(lines) != len(inputs):
        failures += 1
        print(f"not ok - explain: {len(lines)} lines for {len(inputs)} inputs")
    errors = [json.loads(l) for l in lines if "error" in json.loads(l)]
    if [e["file"] for e in errors] != ["/nonexistent/message.eml", notmail]:
        failures += 1
        print(f"not ok - explain: the error lines name their inputs: {errors}")
    if any(json.loads(l)["format"] != 1 for l in lines):
        failures += 1
        print("not ok - every line says format 1")

    demo = os.path.join(data, "demo")
    run(home, "learn", demo)
    r = run(home, "explain", "--json", *messages)
    lines = validate("explain with contacts", r.stdout)
    if not any(json.loads(l).get("contact") for l in lines):
        failures += 1
        print("not ok - a learned contact appears in some analysis")
    r = run(home, "contacts", "list", "-j")
    contacts = validate("contacts list", r.stdout)
    for c in contacts[:3]:
        validate("contacts show", run(home, "contacts", "show", json.loads(c)["address"], "-j").stdout)
    validate("relays list", run(home, "relays", "list", "-j").stdout)

print(f"{checked} lines validated, {failures} failure(s)")
sys.exit(1 if failures or checked < 10 else 0)
