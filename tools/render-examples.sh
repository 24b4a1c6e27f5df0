#!/bin/sh
# make examples: render each corrected seed declaration (examples/*-corrected.yaml)
# into examples/rendered/: its privacy notice in French and English and its
# Art. 30 register in French and English, as Markdown (reviewable in a diff)
# and HTML (what a site publishes). The files are committed; the CLI suite
# (tests/cli/test_rendered_examples.py) runs this script into a temporary
# folder and requires the same bytes, so they cannot go stale.
#
#   tools/render-examples.sh [PDVAULT [OUTDIR]]
#
# PDVAULT defaults to build/src/cli/pdvault, OUTDIR to examples/rendered.
# The output folder is written whole: files of a declaration that no longer
# exists are removed.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
pdvault=${1:-$root/build/src/cli/pdvault}
out=${2:-$root/examples/rendered}
mkdir -p "$out"
rm -f "$out"/*.md "$out"/*.html
for decl in "$root"/examples/*-corrected.yaml; do
	[ -e "$decl" ] || continue
	name=$(basename "$decl" .yaml)
	name=${name%-corrected}
	for lang in fr en; do
		for fmt in md html; do
			"$pdvault" --config "$decl" notice --lang "$lang" --format "$fmt" \
				-o "$out/$name.notice.$lang.$fmt"
			"$pdvault" --config "$decl" register --lang "$lang" --format "$fmt" \
				-o "$out/$name.register.$lang.$fmt"
		done
	done
done
