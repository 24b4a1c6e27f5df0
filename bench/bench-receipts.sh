#!/bin/sh
# bench-receipts.sh PDVAULT — wrk against one `pdvault serve`, in one run:
# durable submissions (POST /v1/activities/customers/submissions) and
# durable consent receipts (POST /v1/cookies/receipts, each a new browser's
# consent id, checked against a banner configuration `pdvault banner` kept),
# 64 connections each, on the same new store, alternating (so that neither
# runs alone on the smaller store). Prints both rates and the
# receipts' ratio to the submissions' (target of issue 16: >= 0.9). Every
# answer is checked: wrk's non-2xx count is printed and must be 0. Needs wrk
# (Debian package).
set -eu
pdvault=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
secs=${BENCH_SECONDS:-10}
command -v wrk >/dev/null || { echo "bench-receipts: wrk is missing (apt-get install wrk)"; exit 2; }
dir=$(mktemp -d /tmp/pdv-bench-receipts-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
# bench.yaml and a banner: three trackers, each of its own purpose
cp "$(dirname "$0")/bench.yaml" "$dir/pdvault.yaml"
cat >> "$dir/pdvault.yaml" <<'YAML'
cookies:
  consent_lifetime: 6mo
  refusal_lifetime: 6mo
  banner: {reject_button: true, blocks_until_accept: false}
  trackers:
    - {name: session, purpose: {fr: Connexion}, lifetime: session, consent: exempt, category: necessary}
    - {name: _pk_id, purpose: {fr: Mesure d'audience}, lifetime: 13mo, consent: required, category: audience}
    - {name: yt, purpose: {fr: Vidéos}, lifetime: 6mo, consent: required, category: social}
YAML
cd "$dir"
export PDVAULT_CONFIG="$dir/pdvault.yaml"
"$pdvault" init >/dev/null
"$pdvault" banner --kit cookieconsent -o banner.js 2>/dev/null
config=$(sed -n 's/^window.pdvaultBanner = .*"config":"\([0-9a-f]*\)".*/\1/p' banner.js)
decl=$(sed -n 's/^window.pdvaultBanner = .*"declaration":"\([0-9a-f]*\)".*/\1/p' banner.js)
[ -n "$config" ] && [ -n "$decl" ] || { echo "bench-receipts: no banner configuration"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# all of wrk's connections come from one address: no per-address limits
"$pdvault" serve --listen "127.0.0.1:$port" --rate 0 --access-log off \
	--max-connections-per-address 0 2>>serve.err &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done

cat > submit.lua <<'LUA'
local tid, counter = 0, 0
function setup(thread) thread:set("tid", tid); tid = tid + 1 end
function request()
  counter = counter + 1
  local body = string.format('{"fields":{"email":"w%d-%d@bench.example","first_name":"A",' ..
    '"last_name":"B","city":"C"}}', tid, counter)
  return wrk.format("POST", "/v1/activities/customers/submissions",
    {["Content-Type"] = "application/json"}, body)
end
LUA
cat > receipt.lua <<LUA
local tid, counter = 0, 0
local events = {'accept', 'refuse', 'change'}
local choices = {'{"audience":true,"social":true}', '{"audience":false,"social":false}',
  '{"audience":true,"social":false}'}
function setup(thread) thread:set("tid", tid); tid = tid + 1 end
function request()
  counter = counter + 1
  local k = counter % 3 + 1
  local body = string.format('{"consent_id":"bench%02d-%016d","config":"$config",' ..
    '"declaration":"$decl","event":"%s","choices":%s,"gpc":false,' ..
    '"given_at":"2026-03-02T10:00:00Z"}', tid, counter, events[k], choices[k])
  return wrk.format("POST", "/v1/cookies/receipts", {["Content-Type"] = "application/json"}, body)
end
LUA

run() { # name script -> prints the figures, sets rate, p99 (ms)
	out=$(wrk -t2 -c64 -d"${secs}s" --latency -s "$2" "http://127.0.0.1:$port/")
	rate=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
		else if (v ~ /ms$/) sub(/ms/, "", v); else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
		print v }')
	bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
	errors=$(echo "$out" | sed -n 's/^ *Socket errors: //p')
	echo "$1: $rate req/s, p99 $p99 ms, non-2xx ${bad:-0}${errors:+, socket errors $errors}"
}
half=$(( (secs + 1) / 2 ))
echo "bench-receipts: wrk, 2 threads, 64 connections, one server, one store;" \
	"submissions and receipts alternate, ${half} s each, twice (the store grows under both)"
# 2 s of warm-up each (threads, page cache, the first WAL pages), not counted
wrk -t2 -c64 -d2s -s submit.lua "http://127.0.0.1:$port/" >/dev/null
wrk -t2 -c64 -d2s -s receipt.lua "http://127.0.0.1:$port/" >/dev/null
secs=$half
sub_sum=0 rec_sum=0
for round in 1 2; do
	run "durable submissions ($round)" submit.lua
	sub_sum=$(awk -v a="$sub_sum" -v b="$rate" 'BEGIN { print a + b }')
	run "durable consent receipts ($round)" receipt.lua
	rec_sum=$(awk -v a="$rec_sum" -v b="$rate" 'BEGIN { print a + b }')
done
sub_rate=$(awk -v a="$sub_sum" 'BEGIN { print a / 2 }')
rec_rate=$(awk -v a="$rec_sum" 'BEGIN { print a / 2 }')
kill -TERM "$pid"; wait "$pid" || true; pid=
stored=$("$pdvault" --json receipt show --consent-id bench00-0000000000000001 | grep -c '"receipt"' || true)
awk -v s="$sub_rate" -v r="$rec_rate" -v st="$stored" 'BEGIN {
	printf "receipts: %.0f/s, submissions: %.0f/s: ratio %.2f (target >= 0.9: %s)\n",
		r, s, r / s, (r / s >= 0.9 ? "met" : "MISSED")
	printf "a receipt answered 201 read back from the store: %s\n", (st > 0 ? "yes" : "NO")
}'
