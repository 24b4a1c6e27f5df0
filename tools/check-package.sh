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
need etc/pdvault/pdvault.env
need usr/lib/sysusers.d/pdvault.conf
need usr/lib/tmpfiles.d/pdvault.conf
[ "$fail" -eq 0 ] || exit 1
echo "check-package: $(basename "$deb") holds the binary, $(ls "$root"/docs/man/*.1 | wc -l) man pages," \
	"the documentation, the example, the unit, its user and its state folder"
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
