#!/bin/sh
# Build pdvault's .deb (dpkg-buildpackage -us -uc -b) from a copy of the tree,
# so the build leaves nothing in it; the package lands in OUTDIR (default
# out/deb/) with the build's log, and its path is the last line printed.
#     tools/deb.sh [OUTDIR]
# The package's version is meson.build's project version; debian/changelog
# must carry the same (a native package: pdvault_VERSION_ARCH.deb).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/out/deb}
cd "$root"
version=$(meson introspect --projectinfo meson.build |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
changelog=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [ "$version" != "$changelog" ]; then
	echo "deb: debian/changelog says $changelog, meson.build says $version;" \
		"add a changelog entry for $version (dch -v $version)" >&2
	exit 1
fi
arch=$(dpkg --print-architecture)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pdvault-deb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
src="$tmp/pdvault-$version"
mkdir -p "$src" "$out"
# the tracked files and the new ones not ignored: what a commit would hold
if git rev-parse --git-dir >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$src"
else
	tar --exclude='./build*' --exclude=./out --exclude=./.git -cf - . | tar -xf - -C "$src"
fi
log="$out/build.log"
echo "deb: building pdvault $version for $arch in $src (log: $log)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	echo "deb: dpkg-buildpackage failed; the whole log is $log" >&2
	exit 1
fi
deb="pdvault_${version}_${arch}.deb"
cp "$tmp/$deb" "$out/$deb"
echo "$out/$deb"
