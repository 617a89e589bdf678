#!/usr/bin/env python3
"""A DNS server on 127.0.0.1 that answers wrongly, in one of four ways (MODE): servfail
(RCODE 2 to everything), garbage (random bytes), truncated (TC set and no answer, and no TCP to
retry over), silent (reads and never answers). No Debian package misbehaves on purpose, so this
fixture stands in for broken resolvers.   usage: bad-dns.py MODE PORT_FILE"""
import os
import socket
import sys

mode = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
while True:
    query, peer = s.recvfrom(4096)
    if len(query) < 12 or mode == "silent":
        continue
    ident, question = query[:2], query[12:]
    if mode == "garbage":
        s.sendto(ident + os.urandom(40), peer)
    elif mode == "servfail":  # QR, RD, RA; RCODE 2; the question echoed
        s.sendto(ident + b"\x81\x82\x00\x01\x00\x00\x00\x00\x00\x00" + question, peer)
    elif mode == "truncated":  # QR, TC, RD, RA; nothing in it
        s.sendto(ident + b"\x83\x80\x00\x01\x00\x00\x00\x00\x00\x00" + question, peer)
