#!/usr/bin/python3
"""A real SMTP server for the tests, on Debian's python3-aiosmtpd: run it with
/usr/bin/python3 (the python3 first on PATH may not see Debian's modules).

    smtpd.py --dir DIR [--port N] [--host ADDR] [--starttls | --tls] [--auth USER:PASSWORD]

Listens on 127.0.0.1 (port 0: any free port), prints "READY PORT" once
listening, and captures each accepted message to DIR/NNNN.eml (the bytes as
received, dot-unstuffed) with DIR/NNNN.json beside it (envelope sender and
recipients, connection number, whether TLS and AUTH were used). Every new
connection is counted in DIR/connections.

--starttls makes a throwaway certificate for localhost and 127.0.0.1 with
the openssl command, at start, into DIR/tls/ (DIR/tls/ca.pem is what a client
trusts), offers STARTTLS and requires it before MAIL. --auth requires that
login (AUTH PLAIN or LOGIN) before MAIL. --tls speaks TLS from the first byte
(smtps://) with the same throwaway certificate.

While it runs, DIR/control.json (read at every MAIL, RCPT and DATA) can tell
it to refuse: {"refuse": "451 4.3.0 try again later"} (or any 4xx/5xx line)
answers DATA with that line; {"refuse_rcpt": "550 5.1.1 no such user"} answers
RCPT. Going down and coming back is the caller's: stop the process, start it
again on the same port (tests/lib/peers.py does both).
"""
import argparse
import asyncio
import json
import os
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Capture:
    def __init__(self, folder):
        self.dir = folder
        self.implicit_tls = False
        self.count = len([f for f in os.listdir(folder) if f.endswith(".eml")])

    def control(self):
        try:
            with open(os.path.join(self.dir, "control.json")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refuse = self.control().get("refuse_rcpt")
        if refuse:
            return refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        refuse = self.control().get("refuse")
        if refuse:
            return refuse
        self.count += 1
        base = os.path.join(self.dir, f"{self.count:04d}")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "connection": getattr(server, "number", 0),
                       "tls": session.ssl is not None or self.implicit_tls,
                       "auth": session.authenticated}, f)
        os.replace(base + ".eml.tmp", base + ".eml")
        return "250 2.0.0 queued"


class Counting(SMTP):
    connections = 0

    def connection_made(self, transport):
        Counting.connections += 1
        self.number = Counting.connections
        with open(os.path.join(self.event_handler.dir, "connections"), "w") as f:
            f.write(f"{Counting.connections}\n")
        super().connection_made(transport)


def throwaway_cert(folder):
    tls = os.path.join(folder, "tls")
    os.makedirs(tls, exist_ok=True)
    cert, key = os.path.join(tls, "ca.pem"), os.path.join(tls, "key.pem")
    if not os.path.exists(cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--starttls", action="store_true")
    ap.add_argument("--tls", action="store_true", help="implicit TLS (smtps://)")
    ap.add_argument("--auth")
    args = ap.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    handler = Capture(args.dir)
    ctx = throwaway_cert(args.dir) if args.starttls or args.tls else None
    handler.implicit_tls = args.tls
    user, _, password = (args.auth or "").partition(":")

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
              and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535

    def factory():
        return Counting(handler, tls_context=None if args.tls else ctx,
                        require_starttls=args.starttls,
                        authenticator=authenticator if args.auth else None,
                        auth_required=bool(args.auth), auth_require_tls=False,
                        hostname="localhost")

    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(
        factory, args.host, args.port, reuse_address=True, ssl=ctx if args.tls else None))
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
