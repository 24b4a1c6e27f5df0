#!/bin/sh
# make demo: lint the example declaration, then write its privacy notice (fr
# and en) and its Art. 30 register into out/demo/.
set -eu
pdvault=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
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
echo "== the vault: a store and its key in a temporary folder, three submissions"
vault=$(mktemp -d)
trap 'rm -rf "$vault"' EXIT
cfg=$(cd "$(dirname "$decl")" && pwd)/$(basename "$decl")
v() { (cd "$vault" && PDVAULT_CONFIG="$cfg" "$pdvault" "$@"); }
v init
echo '{"last_name":"Martin","first_name":"Jeanne","email":"jeanne.martin@example.org","message":"Bonjour, je voudrais le programme de la formation No Code."}' |
	v collect contact --consent --stdin
v collect newsletter --consent email=jeanne.martin@example.org
echo '{"last_name":"Durand","first_name":"Paul","email":"paul.durand@example.org"}' |
	v collect training --stdin
subject=$(v find --email Jeanne.Martin@example.org)
echo "== pdvault show $subject (the same person, found by her email)"
v show "$subject"
echo "== pdvault audit log"
v audit log
v audit verify
echo "== what is on disk: no value in clear"
if grep -rl "jeanne" "$vault" >/dev/null 2>&1; then echo "found in clear!"; exit 1; fi
ls -l "$vault"
echo
echo "Open $out/notice.fr.html in a browser; see README.md for what comes next."
