#!/usr/bin/env python3
"""Writes mailtrace.conf(5) in scdoc: the template with @KEYS@ replaced by the key table that
`mailtrace check --keys` prints (rules/policy/config-keys.c), so the page and the program agree.
Usage: conf-keys-to-scd.py TEMPLATE MAILTRACE OUTPUT"""
import os
import subprocess
import sys

template, binary, output = sys.argv[1:4]
env = dict(os.environ, XDG_CONFIG_HOME="/nonexistent", MAILTRACE_SYSCONFDIR="/nonexistent")
rows = subprocess.run([binary, "check", "--keys"], check=True, capture_output=True, text=True,
                      env=env).stdout.splitlines()
def esc(text):
    """scdoc reads * and _ as markup, and \\ as an escape."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_")


parts = []
for file in ("config", "rules.conf"):
    parts.append(f"## {file}\n")
    for row in rows:
        kind, key, kind_of_value, default, doc = row.split("\t")
        if kind != file:
            continue
        default = "none" if default == "-" else default
        parts.append(f"*{esc(key)}* ({esc(kind_of_value)}; default: {esc(default)})\n"
                     f"\t{esc(doc)}.\n")
with open(template, encoding="utf-8") as f:
    page = f.read()
keys = "\n".join(parts)
with open(output, "w", encoding="utf-8") as f:
    f.write(page.replace("@KEYS@", keys))
