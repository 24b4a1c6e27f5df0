#!/usr/bin/env python3
"""A webhook receiver for the tests, on loopback (Python's http.server).

    webhookd.py --dir DIR --secret SECRET [--port N] [--fail PATH=N]... [--hang PATH]...

Prints "READY PORT" once listening. Every POST is checked as a processor
would (docs/webhooks.md): the Pdvault-Signature header "t=TS,v1=HEX" must be
the HMAC-SHA256 of "TS.BODY" under the secret (401 otherwise). A path given
--fail PATH=N answers 500 to its first N calls; a path given --hang never
answers. A verified delivery is recorded once per Pdvault-Message-Id in
DIR/deliveries.jsonl (a repeat answers 200 and is only counted); every call,
verified or not, is a line of DIR/calls.jsonl.
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def verify(secret, header, body):
    """The processor's check: the docs/webhooks.md example, as is."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    mac = hmac.new(secret.encode(), parts.get("t", "").encode() + b"." + body,
                   hashlib.sha256).hexdigest()
    return hmac.compare_digest(mac, parts.get("v1", ""))


class Receiver(BaseHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_POST(self):
        cfg = self.server.cfg
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        mid = self.headers.get("Pdvault-Message-Id", "")
        with LOCK:
            calls = cfg["calls"].get(self.path, 0) + 1
            cfg["calls"][self.path] = calls
            ok = verify(cfg["secret"], self.headers.get("Pdvault-Signature", ""), body)
            if self.path in cfg["hang"]:
                answer = None
            elif calls <= cfg["fail"].get(self.path, 0):
                answer = 500
            elif not ok:
                answer = 401
            else:
                answer = 200
                if mid not in cfg["seen"]:
                    cfg["seen"].add(mid)
                    with open(os.path.join(cfg["dir"], "deliveries.jsonl"), "a") as f:
                        f.write(json.dumps({"path": self.path, "id": mid,
                                            "content_type": self.headers.get("Content-Type"),
                                            "body": body.decode("utf-8", "replace")}) + "\n")
            with open(os.path.join(cfg["dir"], "calls.jsonl"), "a") as f:
                f.write(json.dumps({"path": self.path, "id": mid, "verified": ok,
                                    "answer": answer}) + "\n")
        if answer is None:
            while True:
                time.sleep(3600)
        self.send_response(answer)
        self.send_header("Content-Length", "0")
        self.end_headers()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--secret", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--fail", action="append", default=[])
    ap.add_argument("--hang", action="append", default=[])
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Receiver)
    server.daemon_threads = True
    server.cfg = {"dir": args.dir, "secret": args.secret, "calls": {}, "seen": set(),
                  "fail": {p.split("=")[0]: int(p.split("=")[1]) for p in args.fail},
                  "hang": set(args.hang)}
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
