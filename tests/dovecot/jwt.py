#!/usr/bin/env python3
"""A token helper for the lab, as oama or pizauth would be: prints a fresh OAuth 2.0 access
token, a JWT (RFC 7519) signed HS256 with the lab's key, which Dovecot's oauth2 passdb checks
locally (introspection_mode = local). Each run appends a line to RUNS, so a test can count how
often mailtrace asked.

  jwt.py KEYFILE SUBJECT LIFETIME_SECONDS [RUNS]   (a negative lifetime: already expired)
"""
import base64
import hashlib
import hmac
import json
import sys
import time


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


key_file, subject, lifetime = sys.argv[1], sys.argv[2], int(sys.argv[3])
now = int(time.time())
issued = now - 120 if lifetime < 0 else now - 1
header = {"alg": "HS256", "typ": "JWT", "kid": "default"}
claims = {"sub": subject, "iat": issued, "nbf": issued, "exp": now + lifetime, "jti": str(time.time_ns())}
signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
with open(key_file, "rb") as f:
    key = f.read()
signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
token = signing_input + "." + b64url(signature)
if len(sys.argv) > 4:
    with open(sys.argv[4], "a") as runs:
        runs.write("run\n")
print(token)
