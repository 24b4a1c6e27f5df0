#!/bin/sh
# Run every libFuzzer target of a fuzz build for N seconds each, from the seed
# corpora in fuzz/corpus/<target>/. Fails when a target finds a crash, or
# undefined behaviour: UBSan's reports stop the target (the build recovers
# from them, so without halt_on_error one would only be printed in its log).
set -eu
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS
build=$1
seconds=${2:-30}
status=0
for t in loader span csv reference time accept-language route forwarded lint-json template migrations; do
	exe="$build/fuzz/fuzz-$t"
	corpus=$(mktemp -d)
	[ -d "fuzz/corpus/$t" ] && cp -r "fuzz/corpus/$t/." "$corpus/"
	echo "fuzz-$t: ${seconds}s"
	if ! "$exe" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$build/fuzz-$t-" "$corpus" >"$build/fuzz-$t.log" 2>&1; then
		echo "fuzz-$t FAILED; see $build/fuzz-$t.log" >&2
		tail -30 "$build/fuzz-$t.log" >&2
		status=1
	else
		grep -E '^Done|#[0-9]+ *DONE' "$build/fuzz-$t.log" | tail -1
	fi
	rm -rf "$corpus"
done
exit $status
