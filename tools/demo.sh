#!/bin/sh
# make demo: lint the example declaration, write its privacy notice (fr and
# en) and its Art. 30 register into out/demo/, collect a few submissions into
# a vault in a temporary folder, then serve it: the API, the back office and
# the privacy center, until Ctrl-C.
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
echo "== the server on the same declaration and store (Ctrl-C stops it)"
token=$(v --json token create dpo --name demo-dpo | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
port=${PDVAULT_DEMO_PORT:-8080}
# a staff account for the demo's DPO: its invitation link (no relay: printed)
invite=$(v staff add demo dpo --email dpo@example.org --public-url "http://127.0.0.1:$port" 2>/dev/null)
echo "   sign in to the back office as the DPO (account \"demo\"):"
echo "     1. open $invite"
echo "     2. choose a passphrase (12 characters or more), scan the QR code with an"
echo "        authenticator app (or type its key), enter the code it shows"
echo "     3. sign in at http://127.0.0.1:$port/staff/ with demo, the passphrase and a code"
echo "   a machine's API token (the back office's \"Sign in with an API token\"): $token"
echo "   privacy center: http://127.0.0.1:$port/privacy/"
echo "   notice:         http://127.0.0.1:$port/v1/notice?lang=fr"
echo "   a submission:   curl -X POST http://127.0.0.1:$port/v1/activities/quote/submissions \\"
echo "                     -d '{\"fields\":{\"last_name\":\"Roy\",\"first_name\":\"Lea\",\"email\":\"lea@example.org\"}}'"
echo "   codes of the privacy center: (cd $vault && PDVAULT_CONFIG=$cfg $pdvault outbox list)"
v serve --listen "127.0.0.1:$port" || true
