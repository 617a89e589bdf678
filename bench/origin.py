#!/usr/bin/env python3
"""How well `mailtrace explain --json` names who really sent today's mail.

usage: bench/origin.py DIR ORACLE.tsv [--mailtrace BIN] [--country-db F --asn-db F]

DIR holds one header block per file; ORACLE.tsv (columns file, provider_sender_ip,
forefront_cip, forefront_country) holds what the receiving provider itself recorded, such as
../shared/data/phishing-pot/. Prints the four measures of the trace issue and, for the origin
misses, how they went wrong.
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("oracle")
here = os.path.dirname(os.path.abspath(__file__))
ap.add_argument("--mailtrace", default=os.path.join(here, "..", "build", "cli", "mailtrace"))
geo = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "mailtrace", "geo")
ap.add_argument("--country-db", default=os.path.join(geo, "country.mmdb"))
ap.add_argument("--asn-db", default=os.path.join(geo, "asn.mmdb"))
ap.add_argument("--show", type=int, default=0, help="print N misses of each kind")
args = ap.parse_args()

oracle = {}
with open(args.oracle) as f:
    next(f)
    for line in f:
        name, ip, cip, ctry = (line.rstrip("\n").split("\t") + ["", "", ""])[:4]
        oracle[name] = (ip, cip, ctry)

files = sorted(oracle)
results = {}
for i in range(0, len(files), 500):
    batch = [os.path.join(args.dir, n) for n in files[i:i + 500]]
    out = subprocess.run([args.mailtrace, "explain", "--json", "--country-db", args.country_db,
                          "--asn-db", args.asn_db] + batch,
                         capture_output=True, text=True, env=dict(os.environ, XDG_CONFIG_HOME="/nonexistent"))
    for line in out.stdout.splitlines():
        o = json.loads(line)
        results[os.path.basename(o["file"])] = o

ar_header = re.compile(r"^Authentication-Results:", re.I | re.M)


def kind_of_miss(o, want):
    origin = o.get("origin")
    if origin is None:
        return "no origin named"
    ips = [h.get("ip") for h in o.get("hops", [])]
    if want in ips:
        k = ips.index(want)
        got = ips.index(origin["ip"]) if origin["ip"] in ips else -1
        return "stopped too early (a hop above the sender's)" if got < k else "went too far (past the sender's)"
    return "the provider's sender IP is on no hop"


ip_ok = ip_n = c_ok = c_n = broken = ar_n = ar_ok = 0
misses = collections.Counter()
examples = collections.defaultdict(list)
for name in files:
    o = results.get(name)
    ip, cip, ctry = oracle[name]
    if o is None:
        misses["no JSON line"] += 1
        continue
    origin = o.get("origin") or {}
    if ip:
        ip_n += 1
        if origin.get("ip") == ip:
            ip_ok += 1
        else:
            k = kind_of_miss(o, ip)
            misses[k] += 1
            examples[k].append(name)
    if ctry:
        c_n += 1
        c_ok += origin.get("country") == ctry
    broken += any(r["code"] == "chain-broken" for r in o.get("reasons", []))
    with open(os.path.join(args.dir, name), errors="replace") as f:
        if ar_header.search(f.read()):
            ar_n += 1
            a = o.get("auth") or {}
            ar_ok += bool(a.get("spf") or a.get("dkim") or a.get("dmarc"))

pct = lambda a, b: 100.0 * a / b if b else 0.0
print(f"messages: {len(files)} (JSON lines: {len(results)})")
print(f"origin IP = provider's sender IP:    {pct(ip_ok, ip_n):5.1f}%  ({ip_ok} of {ip_n})   target >= 99.5%")
print(f"origin country = Microsoft's country: {pct(c_ok, c_n):5.1f}%  ({c_ok} of {c_n})   target >= 97%")
print(f"chain-broken reported:               {pct(broken, len(files)):5.1f}%  ({broken})   target <= 1%")
print(f"Authentication-Results used:         {pct(ar_ok, ar_n):5.1f}%  ({ar_ok} of {ar_n})   target >= 99%")
print("origin misses by kind:")
for k, n in misses.most_common():
    print(f"  {n:5d}  {k}")
    for e in examples[k][: args.show]:
        print(f"         {e}")
