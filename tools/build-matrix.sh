#!/bin/sh
# The builds a packager makes: gcc and clang, each in the build types debug,
# debugoptimized, release, and plain with the flags Debian's dpkg-buildflags
# gives under hardening=+all, all with -Werror, into build-matrix/<cc>-<type>.
# Then the unit, CLI and HTTP suites on the gcc release build, the one a distribution
# ships and the one whose optimiser sees the most (it found an uninitialised
# date in requests.c that debugoptimized did not).
#
#   tools/build-matrix.sh [DIR]     (DIR defaults to build-matrix)
#
# A directory configured by an earlier run is rebuilt, not set up again (ninja
# reconfigures it when meson.build changes); remove it to change its flags.
set -eu
cd "$(dirname "$0")/.."
top=${1:-build-matrix}
tools/deps.sh clang dpkg-dev

# plain: nothing from Meson's build type, everything from the packager. Newer
# dpkg (1.22) adds -fstack-clash-protection and -fcf-protection itself under
# hardening=+all and Debian's gcc makes PIE by default; Debian 12's dpkg does
# not, so they are added here to build the way a current package does.
hardening() {
	DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get "$1"
}
plain_cflags="$(hardening CFLAGS) -fstack-clash-protection -fcf-protection"
plain_cppflags="$(hardening CPPFLAGS)"
plain_ldflags="$(hardening LDFLAGS)"
mkdir -p "$top"

for cc in gcc clang; do
	for type in debug debugoptimized release plain; do
		dir="$top/$cc-$type"
		log="$top/$cc-$type.log"
		if [ ! -f "$dir/build.ninja" ]; then
			echo "setup $dir"
			if [ "$type" = plain ]; then
				CC=$cc CFLAGS="$plain_cflags" CPPFLAGS="$plain_cppflags" \
					LDFLAGS="$plain_ldflags" \
					meson setup "$dir" --buildtype=plain -Db_pie=true \
					--werror -Dfuzz=false >"$log" 2>&1 ||
					{ cat "$log" >&2; exit 1; }
			else
				CC=$cc meson setup "$dir" --buildtype="$type" --werror -Dfuzz=false \
					>"$log" 2>&1 ||
					{ cat "$log" >&2; exit 1; }
			fi
		fi
		echo "build $dir"
		ninja -C "$dir" -j2 >"$log" 2>&1 ||
			{ tail -40 "$log" >&2; echo "build $dir FAILED" >&2; exit 1; }
	done
done

python3 tests/run.py --build "$top/gcc-release" --suites unit,cli,http
