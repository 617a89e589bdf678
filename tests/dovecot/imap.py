#!/usr/bin/env python3
"""An independent IMAP client for the tests (Python's imaplib, STARTTLS, verified against the
lab CA): it checks what mailtrace did to a mailbox, and plays the user.

  imap.py PORT CA USER PASSWORD move FROM TO       move every message of FROM to TO
  imap.py PORT CA USER PASSWORD append MAILBOX FILE [FLAGS]
  imap.py PORT CA USER PASSWORD dump MAILBOX       one line per message: UID FLAGS SHA256
  imap.py PORT CA USER PASSWORD append-many MAILBOX N FILE...
                                   N distinct messages, the FILEs in turn, each with its number
                                   in an X-Test-Copy field on top
  imap.py PORT CA USER PASSWORD store MAILBOX UID FLAGS   the user sets flags
  imap.py PORT CA USER PASSWORD list MAILBOX       one line per message: FLAGS, From, Subject
  imap.py PORT CA USER PASSWORD uidvalidity MAILBOX
"""
import hashlib
import imaplib
import ssl
import sys


def connect(port, ca, user, password):
    ctx = ssl.create_default_context(cafile=ca)
    imap = imaplib.IMAP4("localhost", int(port))
    imap.starttls(ssl_context=ctx)
    imap.login(user, password)
    return imap


def check(typ, data):
    if typ != "OK":
        sys.exit(f"imap: {typ} {data!r}")
    return data


def main():
    port, ca, user, password, cmd, *args = sys.argv[1:]
    imap = connect(port, ca, user, password)
    if cmd == "move":
        check(*imap.select(args[0]))
        uids = check(*imap.uid("SEARCH", None, "ALL"))[0].split()
        if uids:
            check(*imap.uid("MOVE", b",".join(uids).decode(), args[1]))
    elif cmd == "append":
        flags = args[2] if len(args) > 2 else None
        with open(args[1], "rb") as f:
            check(*imap.append(args[0], flags, None, f.read()))
    elif cmd == "append-many":
        mailbox, n, files = args[0], int(args[1]), args[2:]
        bodies = []
        for name in files:
            with open(name, "rb") as f:
                bodies.append(f.read())
        for i in range(n):
            copy = b"X-Test-Copy: %d\r\n" % i + bodies[i % len(bodies)]
            check(*imap.append(mailbox, None, None, copy))
    elif cmd == "store":
        check(*imap.select(args[0]))
        check(*imap.uid("STORE", args[1], "+FLAGS", args[2]))
    elif cmd == "list":
        check(*imap.select(args[0], readonly=True))
        uids = check(*imap.uid("SEARCH", None, "ALL"))[0].split()
        for uid in uids:
            data = check(*imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)])"))
            meta, header = data[0]
            flags = " ".join(f.decode() for f in imaplib.ParseFlags(meta) if f != b"\\Recent")
            fields = dict(line.split(": ", 1) for line in header.decode(errors="replace").splitlines()
                          if ": " in line)
            print(f"  {fields.get('From', '?'):50.50} {fields.get('Subject', '?'):24.24} {flags or '-'}")
    elif cmd == "dump":
        check(*imap.select(args[0], readonly=True))
        uids = check(*imap.uid("SEARCH", None, "ALL"))[0].split()
        for uid in uids:
            data = check(*imap.uid("FETCH", uid, "(FLAGS BODY.PEEK[])"))
            meta, body = data[0]
            flags = [f for f in imaplib.ParseFlags(meta) if f != b"\\Recent"]  # per session
            digest = hashlib.sha256(body).hexdigest()[:16]
            print(uid.decode(), " ".join(sorted(f.decode() for f in flags)) or "-", digest)
    elif cmd == "uidvalidity":
        data = check(*imap.status(args[0], "(UIDVALIDITY)"))[0].decode()
        print(data.split("UIDVALIDITY")[1].strip(" )"))
    else:
        sys.exit(f"imap: unknown command {cmd}")
    imap.logout()


if __name__ == "__main__":
    main()
