#!/bin/sh
# make demo: lint the example declaration, then write its privacy notice (fr
# and en) and its Art. 30 register into out/demo/.
set -eu
pdvault=$1
decl=$2
out=out/demo
mkdir -p "$out"
echo "== pdvault lint $decl"
"$pdvault" lint "$decl" || true
echo
echo "== the same declaration, its notice and its register"
"$pdvault" --config "$decl" notice --lang fr --format html -o "$out/notice.fr.html"
"$pdvault" --config "$decl" notice --lang en --format html -o "$out/notice.en.html"
"$pdvault" --config "$decl" notice --lang fr --format md -o "$out/notice.fr.md"
"$pdvault" --config "$decl" register --lang fr --format html -o "$out/register.fr.html"
"$pdvault" --config "$decl" register --format csv -o "$out/register.csv"
"$pdvault" --config "$decl" register --format json -o "$out/register.json"
ls -l "$out"
echo
echo "== and one of the five real policies, as its company wrote it:"
"$pdvault" lint examples/customer-labs.yaml || true
echo
echo "Open $out/notice.fr.html in a browser; see README.md for what comes next."
