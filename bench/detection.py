#!/usr/bin/env python3
"""The table of bench/detection.sh, from its work directory: for each set, the share each tool
flagged, and mailtrace's reasons behind its false positives and what its missed phishing showed.

  detection.py WORK SET...   (SET.list, SET.sample, SET.mt.json, SET.rspamc, SET.spamc in WORK)
"""
import collections
import json
import os
import re
import sys

PHISHING = {"phishing-pot"}
FLAGGING_ACTIONS = {"reject", "add header", "rewrite subject"}


def read_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def mailtrace(work, name):
    results = {}
    for line in read_lines(os.path.join(work, name + ".mt.json")):
        o = json.loads(line)
        if "file" in o:
            results[o["file"]] = o
    return results


def rspamd(work, name):
    """Action per copy, from rspamc's `Results for file: PATH (...)` blocks."""
    actions, current = {}, None
    for line in read_lines(os.path.join(work, name + ".rspamc")):
        m = re.match(r"Results for file: (\S+)", line)
        if m:
            current = m.group(1)
        elif line.startswith("Action:") and current is not None:
            actions[current] = line.split(":", 1)[1].strip()
    return actions


def spamassassin(work, name):
    verdicts = {}
    for line in read_lines(os.path.join(work, name + ".spamc")):
        path, status, _ = (line.split("\t") + ["", ""])[:3]
        verdicts[path] = status == "1"
    return verdicts


def pct(k, n):
    return f"{100.0 * k / n:5.1f}% ({k}/{n})" if n else "-"


def counting_codes(o):
    return [r["code"] for r in o.get("reasons", []) if r.get("weight")]


def main():
    work, names = sys.argv[1], sys.argv[2:]
    rows, notes = [], []
    for name in names:
        mt = mailtrace(work, name)
        files = read_lines(os.path.join(work, name + ".list"))
        sample = read_lines(os.path.join(work, name + ".sample"))
        copies = read_lines(os.path.join(work, name + ".copies"))
        flagged = [f for f in files if f in mt and mt[f]["verdict"] == "suspicious"]
        flagged_sample = [f for f in sample if f in mt and mt[f]["verdict"] == "suspicious"]
        ra = rspamd(work, name)
        sa = spamassassin(work, name)
        r_flag = sum(1 for c in copies if ra.get(c) in FLAGGING_ACTIONS)
        s_flag = sum(1 for c in copies if sa.get(c))
        kind = "phishing" if name in PHISHING else "genuine"
        rows.append((name, kind, pct(len(flagged), len(files)), pct(len(flagged_sample), len(sample)),
                     pct(s_flag, len(copies)), pct(r_flag, len(copies)),
                     f"{len(ra)}/{len(sa)} answered"))
        if kind == "genuine":
            reasons = collections.Counter(c for f in flagged for c in counting_codes(mt[f]))
            notes.append(f"{name}: reasons of the {len(flagged)} false positives: "
                         + (", ".join(f"{c} {n}" for c, n in reasons.most_common(8)) or "none"))
        else:
            missed = [mt[f] for f in files if f in mt and mt[f]["verdict"] != "suspicious"]
            shown = collections.Counter(c for o in missed for c in counting_codes(o))
            bare = sum(1 for o in missed if not counting_codes(o))
            notes.append(f"{name}: {len(missed)} missed; {bare} with no reason at all; the others "
                         "showed: " + ", ".join(f"{c} {n}" for c, n in shown.most_common(8)))
    head = ("set", "kind", "mailtrace, all", "mailtrace, sample", "SpamAssassin 4 (local)",
            "rspamd 3.4 (no DNS)", "peers")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    print()
    for n in notes:
        print(n)


if __name__ == "__main__":
    main()
