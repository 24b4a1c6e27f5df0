#!/bin/sh
# make check-package: build the .deb (tools/deb.sh), unpack it into a clean
# folder (dpkg -x), check that it holds what an install needs, then run
# `systemd-analyze verify` on its unit (against the unpacked tree: the
# binary and the man page it names must be in the package) and
# `systemd-analyze security --offline=true`, whose exposure must be 2.0 or
# lower; prints the score.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/out/deb"
deb=$("$root/tools/deb.sh" "$out" | tail -n 1)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pdvault-pkg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
dpkg -x "$deb" "$tmp/root"
fail=0
need() {
	if [ ! -e "$tmp/root/$1" ]; then
		echo "check-package: $(basename "$deb") lacks /$1" >&2
		fail=1
	fi
}
unit=""
for d in usr/lib/systemd/system lib/systemd/system; do
	[ -f "$tmp/root/$d/pdvault.service" ] && unit="$tmp/root/$d/pdvault.service"
done
[ -n "$unit" ] || { echo "check-package: no pdvault.service in $deb" >&2; exit 1; }
need usr/bin/pdvault
for page in "$root"/docs/man/*.1; do
	need "usr/share/man/man1/$(basename "$page").gz"
done
need usr/share/doc/pdvault/examples/alegria-corrected.yaml
need usr/share/doc/pdvault/deploy.md.gz
need usr/share/doc/pdvault/openapi.yaml
need etc/pdvault/pdvault.env
need usr/lib/sysusers.d/pdvault.conf
need usr/lib/tmpfiles.d/pdvault.conf
[ "$fail" -eq 0 ] || exit 1
echo "check-package: $(basename "$deb") holds the binary, $(ls "$root"/docs/man/*.1 | wc -l) man pages," \
	"the documentation, the example, the unit, its user and its state folder"
# the binary as Debian's hardening flags make it (hardening=+all): PIE, stack
# protector, fortified functions, read-only relocations, immediate binding.
# Control-flow protection is not asked: bookworm's dpkg-buildflags (1.21)
# does not add -fcf-protection
hrc=0
hardening-check --nocfprotection "$tmp/root/usr/bin/pdvault" >"$tmp/hardening.txt" || hrc=$?
sed 's/^/check-package: /' "$tmp/hardening.txt"
[ "$hrc" -eq 0 ] || { echo "check-package: the binary lacks a hardening feature" >&2; exit 1; }
# the package's binary, run as docs/deploy.md says: the options file read by
# sh, `init`, then `serve` with the file's options (its port moved to a free
# one) until /healthz answers; the store in the scratch folder
bin="$tmp/root/usr/bin/pdvault"
mkdir -m 0700 "$tmp/state"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(
	set -a
	. "$tmp/root/etc/pdvault/pdvault.env"
	set +a
	PDVAULT_CONFIG="$tmp/root/usr/share/doc/pdvault/examples/alegria-corrected.yaml"
	PDVAULT_DB="sqlite:$tmp/state/pdvault.db"
	PDVAULT_KEY_FILE="$tmp/state/pdvault.key"
	opts=$(echo "$PDVAULT_SERVE_OPTIONS" | sed "s/127\.0\.0\.1:8080/127.0.0.1:$port/")
	"$bin" init >/dev/null
	"$bin" serve $opts 2>"$tmp/serve.err" &
	pid=$!
	ok=1
	for _ in $(seq 100); do
		if python3 -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null; then
			ok=0
			break
		fi
		sleep 0.1
	done
	kill "$pid"
	wait "$pid" || true
	[ "$ok" -eq 0 ] || { cat "$tmp/serve.err" >&2; exit 1; }
) || { echo "check-package: the packaged pdvault did not serve with pdvault.env's options" >&2; exit 1; }
echo "check-package: the packaged binary initialises a store and serves with pdvault.env's options"
# verify: the unit's syntax, and ExecStart's binary and Documentation's man
# page as the package installs them. The targets it names (sysinit.target,
# network-online.target, multi-user.target...) are the system's: they are
# copied beside it into the scratch root, never into the package.
for f in /lib/systemd/system/*.target /lib/systemd/system/*.slice; do
	[ -e "$(dirname "$unit")/$(basename "$f")" ] || cp -P "$f" "$(dirname "$unit")/"
done
MANPATH="$tmp/root/usr/share/man" systemd-analyze verify --root="$tmp/root" "$unit"
echo "check-package: systemd-analyze verify: ok"
systemd-analyze security --offline=true "$unit" >"$tmp/security.txt" 2>&1 || true
score=$(sed -n 's/.*Overall exposure level for pdvault.service: \([0-9.]*\).*/\1/p' "$tmp/security.txt")
if [ -z "$score" ]; then
	cat "$tmp/security.txt" >&2
	echo "check-package: systemd-analyze security gave no score" >&2
	exit 1
fi
echo "check-package: systemd-analyze security --offline=true: exposure $score (at most 2.0)"
if ! awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }'; then
	grep '✗' "$tmp/security.txt" >&2 || true
	echo "check-package: pdvault.service's exposure $score is over 2.0" >&2
	exit 1
fi
