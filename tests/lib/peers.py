"""The real peers of delivery, for the suites: start and stop tests/lib/smtpd.py
(a real SMTP server on Debian's python3-aiosmtpd) and tests/lib/webhookd.py
(a webhook receiver), each on a loopback port, capturing to a folder.

    smtp = Smtpd(folder, starttls=True, auth="u:p"); smtp.start()
    ... smtp.url, smtp.ca, smtp.messages(), smtp.connections(), smtp.refuse("451 ...")
    smtp.stop(); smtp.start()   # down and back on the same port
"""
import email
import email.policy
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Debian's python3-aiosmtpd is seen by Debian's python3, not necessarily by the
# python3 first on PATH
SYSTEM_PYTHON = "/usr/bin/python3"


class _Peer:
    def __init__(self, folder):
        self.dir = folder
        self.port = 0
        self.proc = None
        os.makedirs(folder, exist_ok=True)

    def _start(self, argv):
        self.proc = subprocess.Popen(argv + ["--dir", self.dir, "--port", str(self.port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            self.proc.kill()
            raise RuntimeError(f"{argv[1]} did not start: {line!r} {self.proc.stderr.read()!r}")
        self.port = int(line.split()[1])

    def stop(self):
        if self.proc:
            self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
            self.proc.stderr.close()
            self.proc = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


class Smtpd(_Peer):
    def __init__(self, folder, starttls=False, tls=False, auth=None, host="127.0.0.1"):
        super().__init__(folder)
        self.starttls = starttls
        self.tls = tls
        self.auth = auth
        self.host = host

    def start(self):
        argv = [SYSTEM_PYTHON, os.path.join(HERE, "smtpd.py")]
        if self.starttls:
            argv.append("--starttls")
        if self.tls:
            argv.append("--tls")
        argv += ["--host", self.host]
        if self.auth:
            argv += ["--auth", self.auth]
        self._start(argv)

    @property
    def url(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'smtps' if self.tls else 'smtp'}://{host}:{self.port}"

    @property
    def ca(self):
        return os.path.join(self.dir, "tls", "ca.pem")

    def refuse(self, line=None, rcpt=None):
        """Answer DATA (or RCPT) with this 4xx/5xx line from now on; None: accept."""
        with open(os.path.join(self.dir, "control.json"), "w") as f:
            json.dump({k: v for k, v in (("refuse", line), ("refuse_rcpt", rcpt)) if v}, f)

    def connections(self):
        try:
            return int(open(os.path.join(self.dir, "connections")).read())
        except OSError:
            return 0

    def messages(self):
        """[(email.message.EmailMessage, envelope dict, raw bytes)] in arrival order."""
        out = []
        for p in sorted(glob.glob(os.path.join(self.dir, "*.eml"))):
            raw = open(p, "rb").read()
            env = json.load(open(p[:-4] + ".json"))
            out.append((email.message_from_bytes(raw, policy=email.policy.default), env, raw))
        return out


class Webhookd(_Peer):
    def __init__(self, folder, secret, fail=None, hang=()):
        super().__init__(folder)
        self.secret = secret
        self.fail = fail or {}
        self.hang = hang

    def start(self):
        argv = [sys.executable, os.path.join(HERE, "webhookd.py"), "--secret", self.secret]
        for path, n in self.fail.items():
            argv += ["--fail", f"{path}={n}"]
        for path in self.hang:
            argv += ["--hang", path]
        self._start(argv)

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.port}{path}"

    def _lines(self, name):
        try:
            return [json.loads(line) for line in open(os.path.join(self.dir, name))]
        except OSError:
            return []

    def deliveries(self):
        return self._lines("deliveries.jsonl")

    def calls(self):
        return self._lines("calls.jsonl")
