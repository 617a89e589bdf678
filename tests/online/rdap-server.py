#!/usr/bin/env python3
"""An RDAP server on 127.0.0.1 answering from the JSON files in rdap/ (RFC 9083 answers in the
shape the registries give). No RDAP server is packaged in Debian, so this small fixture is the
one exception to the suite's real servers. Besides the answers, it acts out what registries do
wrong, by the domain asked for:
  ratelimited.com  429 Too Many Requests, Retry-After: 120
  broken-json.com  200 with a body that is not JSON
  stalled.com      accepts the request and never answers
  deeply-nested.com  200 with `[` nested 200,000 deep (400 KB, under the body cap)
  far-future.com   429 with Retry-After: Fri, 31 Dec 9999 23:59:59 GMT
  anything else without a file: 404, as RFC 9083 says
It also serves bootstrap files under /bootstrap/ (for update-rdap), from BOOTSTRAP_DIR.
Each request's path is appended to LOG.   usage: rdap-server.py PORT_FILE LOG [BOOTSTRAP_DIR]"""
import http.server
import ipaddress
import json
import os
import sys
import threading
import time

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rdap")
LOG = sys.argv[2]
BOOTSTRAP = sys.argv[3] if len(sys.argv) > 3 else None
lock = threading.Lock()


def network_file(ip):
    for name in os.listdir(HERE):
        if name.startswith("ip-"):
            with open(os.path.join(HERE, name)) as f:
                net = json.load(f)
            lo = ipaddress.ip_address(net["startAddress"])
            hi = ipaddress.ip_address(net["endAddress"])
            try:
                address = ipaddress.ip_address(ip)
            except ValueError:
                return None
            if address.version == lo.version and lo <= address <= hi:
                return os.path.join(HERE, name)
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="application/rdap+json", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        with lock, open(LOG, "a") as log:
            log.write(self.path + "\n")
        parts = self.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "bootstrap" and BOOTSTRAP:
            path = os.path.join(BOOTSTRAP, os.path.basename(parts[1]))
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    return self.send(200, f.read(), "application/json")
            return self.send(404, "{}")
        if len(parts) != 2 or parts[0] not in ("domain", "ip"):
            return self.send(400, json.dumps({"errorCode": 400, "title": "bad request"}))
        kind, key = parts[0], parts[1].lower()
        if key == "ratelimited.com":
            return self.send(429, json.dumps({"errorCode": 429, "title": "Too Many Requests"}),
                             headers=[("Retry-After", "120")])
        if key == "broken-json.com":
            return self.send(200, '{"objectClassName": "domain", "events": [')
        if key == "far-future.com":
            return self.send(429, json.dumps({"errorCode": 429, "title": "Too Many Requests"}),
                             headers=[("Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT")])
        if key == "deeply-nested.com":
            return self.send(200, "[" * 200000)
        if key == "stalled.com":
            time.sleep(60)
            return
        path = (os.path.join(HERE, "domain-%s.json" % key) if kind == "domain"
                else network_file(key))
        if path is None or not os.path.isfile(path):
            return self.send(404, json.dumps({"errorCode": 404, "title": "Not Found"}))
        with open(path, "rb") as f:
            self.send(200, f.read())


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
