#!/usr/bin/python3
"""Verify a pdvault deletion certificate knowing only the published keys.

usage: verify-certificate.py CERTIFICATE.json KEYS.json
KEYS.json is https://VAULT/.well-known/pdvault-keys.json as fetched. Exit 0
and "valid" when the signature holds; exit 1 otherwise. Needs PyNaCl
(Debian: python3-nacl). docs/certificates.md explains each line."""
import json
import sys

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

env = json.load(open(sys.argv[1], encoding="utf-8"))
keys = {k["key_id"]: k for k in json.load(open(sys.argv[2], encoding="utf-8"))["keys"]}
# the signed bytes: the certificate in canonical form (sorted keys, no
# whitespace, UTF-8 as it is)
body = json.dumps(env["certificate"], sort_keys=True, separators=(",", ":"),
                  ensure_ascii=False).encode("utf-8")
key = keys.get(env["key_id"])
try:
    if env["algorithm"] != "Ed25519" or key is None:
        raise BadSignatureError("unknown key")
    VerifyKey(bytes.fromhex(key["public_key"])).verify(body, bytes.fromhex(env["signature"]))
except (BadSignatureError, ValueError) as e:
    print(f"NOT valid: {e}")
    sys.exit(1)
print(f"valid: signed by key {env['key_id']} ({key['status']})")
