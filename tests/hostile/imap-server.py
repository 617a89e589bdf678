#!/usr/bin/env python3
"""A scriptable misbehaving IMAP server on 127.0.0.1, for the cases a real Dovecot cannot be
made to produce (a fixture, since Debian packages no hostile server).

usage: imap-server.py PORTFILE LOGFILE SCENARIO [MESSAGE-FILE...]

It listens on a free port, writes the port to PORTFILE, and serves one connection after the
other, plain text, until killed. Every command line it receives (literals included) is appended
to LOGFILE. The messages get UIDs 1, 2, 3... unless the scenario says otherwise.

Scenarios, each about what UID FETCH (or the stream) does:
  ok              answers as a server should
  eof-in-literal  announces a 5000-byte literal, sends 100 bytes, closes
  eof-max-literal announces {4294967295}, sends 100 bytes, closes
  drip            sends the answer one byte a second, for ever
  flood           announces a 300 MB literal and sends it as fast as it can
  never-asked     also answers for UIDs 500 and 4000000000
  twice           answers twice for UID 1, the second time with another message's text
  partial-no      leaves out UID 2, then says NO [SERVERBUG]
  sparse          the messages are at UIDs 1, 10000000 and 4294967294
And two about AUTHENTICATE (XOAUTH2 and OAUTHBEARER offered, with SASL-IR):
  auth-endless    answers with continuation requests, for ever
  auth-blob       answers with a 1 MB base64 error, then NO
"""
import base64
import re
import socket
import sys
import time

portfile, logfile, scenario = sys.argv[1:4]
messages = [open(f, "rb").read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for f in sys.argv[4:]]
if scenario == "sparse":
    uids = [1, 10000000, 4294967294][: len(messages)]
else:
    uids = list(range(1, len(messages) + 1))
log = open(logfile, "ab", buffering=0)


def in_set(uid, spec):
    top = max(uids) if uids else 0
    for part in spec.split(","):
        lo, _, hi = part.partition(":")
        lo = top if lo == "*" else int(lo)
        hi = lo if not hi else (top if hi == "*" else int(hi))
        if min(lo, hi) <= uid <= max(lo, hi):
            return True
    return False


def fetch_item(seq, uid, data):
    return (b"* %d FETCH (UID %d FLAGS () RFC822.SIZE %d BODY[]<0> {%d}\r\n" %
            (seq, uid, len(data), len(data)) + data + b")\r\n")


def serve(conn):
    f = conn.makefile("rb")

    def send(b):
        conn.sendall(b)

    caps = b"IMAP4rev1 MOVE UIDPLUS IDLE"
    if scenario.startswith("auth-"):
        caps += b" SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER"
    send(b"* OK [CAPABILITY " + caps + b"] hostile server ready\r\n")
    while True:
        line = f.readline()
        if not line:
            return
        # client literals: {n} or {n+}
        while True:
            m = re.search(rb"\{(\d+)(\+?)\}\r\n$", line)
            if not m:
                break
            if not m.group(2):
                send(b"+ go on\r\n")
            line += f.read(int(m.group(1))) + f.readline()
        log.write(line)
        parts = line.rstrip(b"\r\n").split(b" ")
        tag = parts[0]
        cmd = b" ".join(parts[1:3]).upper() if parts[1:2] == [b"UID"] or parts[1:2] == [b"uid"] else parts[1].upper() if len(parts) > 1 else b""
        if cmd == b"CAPABILITY":
            send(b"* CAPABILITY " + caps + b"\r\n" + tag + b" OK done\r\n")
        elif cmd == b"AUTHENTICATE" and scenario == "auth-endless":
            while True:
                send(b"+ \r\n")
                time.sleep(0.01)
        elif cmd == b"AUTHENTICATE" and scenario == "auth-blob":
            blob = base64.b64encode(b'{"status":"401","padding":"' + b"x" * 1000000 + b'"}')
            send(b"+ " + blob + b"\r\n")
            f.readline()
            send(tag + b" NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
        elif cmd == b"LOGIN":
            send(tag + b" OK [CAPABILITY IMAP4rev1 MOVE UIDPLUS IDLE] logged in\r\n")
        elif cmd == b"LIST":
            send(b'* LIST (\\HasNoChildren) "/" INBOX\r\n'
                 b'* LIST (\\HasNoChildren \\Junk) "/" Junk\r\n' + tag + b" OK done\r\n")
        elif cmd in (b"SELECT", b"EXAMINE"):
            nxt = 4294967295 if scenario == "sparse" else len(messages) + 1
            send(b"* %d EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT %d] ok\r\n" %
                 (len(messages), nxt) + tag + b" OK [READ-WRITE] done\r\n")
        elif cmd == b"UID SEARCH":
            spec = parts[-1].decode()
            found = [u for u in uids if in_set(u, spec)]
            send(b"* SEARCH" + b"".join(b" %d" % u for u in found) + b"\r\n" + tag + b" OK done\r\n")
        elif cmd == b"UID FETCH":
            spec = parts[3].decode()
            wanted = [(i + 1, u, messages[i]) for i, u in enumerate(uids) if in_set(u, spec)]
            if scenario == "eof-in-literal":
                send(b"* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 5000 BODY[]<0> {5000}\r\n" + b"x" * 100)
                return
            if scenario == "eof-max-literal":
                send(b"* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 5000 BODY[]<0> {4294967295}\r\n" + b"x" * 100)
                return
            if scenario == "drip":
                for c in b"* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 5000 BODY[]<0> {5000}\r\n" + b"x" * 5000:
                    send(bytes([c]))
                    time.sleep(1)
                return
            if scenario == "flood":
                send(b"* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 300000000 BODY[]<0> {300000000}\r\n")
                chunk = b"x" * 65536
                for _ in range(300000000 // 65536):
                    send(chunk)
                return
            out = b""
            for seq, u, data in wanted:
                if scenario == "partial-no" and u == 2:
                    continue
                out += fetch_item(seq, u, data)
                if scenario == "twice" and u == 1 and len(messages) > 1:
                    out += fetch_item(seq, u, messages[1])
            if scenario == "never-asked" and messages:
                out += fetch_item(1, 500, messages[-1]) + fetch_item(1, 4000000000, messages[-1])
            if scenario == "partial-no":
                send(out + tag + b" NO [SERVERBUG] Some messages could not be FETCHed\r\n")
            else:
                send(out + tag + b" OK done\r\n")
        elif cmd == b"UID COPY":
            send(tag + b" OK [COPYUID 7 %s 1] done\r\n" % parts[3])
        elif cmd in (b"UID STORE", b"UID MOVE", b"UID EXPUNGE", b"NOOP", b"CREATE", b"CHECK"):
            send(tag + b" OK done\r\n")
        elif cmd == b"LOGOUT":
            send(b"* BYE bye\r\n" + tag + b" OK done\r\n")
            return
        else:
            send(tag + b" BAD unknown command\r\n")


sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
sock.listen(4)
with open(portfile + ".tmp", "w") as p:
    p.write(str(sock.getsockname()[1]))
import os
os.rename(portfile + ".tmp", portfile)
while True:
    conn, _ = sock.accept()
    try:
        serve(conn)
    except (BrokenPipeError, ConnectionResetError):
        pass
    finally:
        conn.close()
