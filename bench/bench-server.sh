#!/bin/sh
# bench-server.sh PDVAULT [N] — wrk against a running `pdvault serve`, in one
# run, printed with the targets of issue 5:
#   1. durable submissions, 64 connections: >= 15,000/s, p99 < 25 ms, on a
#      new store, then again on N subjects
#   2. lookup by email (GET /v1/subjects?email=) on N subjects (default
#      1,000,000, imported): >= 20,000 req/s, p99 < 10 ms
#   3. the server's peak RSS at N subjects: < 64 MiB
# Needs wrk (Debian package). Every answer is checked: wrk's non-2xx count
# is printed and must be 0.
set -eu
pdvault=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
n=${2:-1000000}
secs=${BENCH_SECONDS:-10}
command -v wrk >/dev/null || { echo "bench-server: wrk is missing (apt-get install wrk)"; exit 2; }
dir=$(mktemp -d /tmp/pdv-bench-server-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
cp "$(dirname "$0")/bench.yaml" "$dir/pdvault.yaml"
cd "$dir"
export PDVAULT_CONFIG="$dir/pdvault.yaml"
"$pdvault" init >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
serve() {
	# all of wrk's 64 connections come from one address, as a proxy's would:
	# no per-address limit (a trusted proxy is exempt from it the same way)
	"$pdvault" serve --listen "127.0.0.1:$port" --rate 0 --access-log off \
		--max-connections-per-address 0 2>>serve.err &
	pid=$!
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
}
stop() { kill -TERM "$pid"; wait "$pid" || true; pid=; }

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
cat > lookup.lua <<LUA
math.randomseed(os.time())
function request()
  return wrk.format("GET", "/v1/subjects?email=person" .. math.random(0, $n - 1) ..
    "@example.org", {["Authorization"] = "Bearer TOKEN"})
end
LUA

run() { # name script -> prints the figures, sets rate, p99 (ms) and bad
	out=$(wrk -t2 -c64 -d"${secs}s" --latency -s "$2" "http://127.0.0.1:$port/")
	rate=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
	p99=$(echo "$out" | awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
		else if (v ~ /ms$/) sub(/ms/, "", v); else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
		print v }')
	bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
	errors=$(echo "$out" | sed -n 's/^ *Socket errors: //p')
	echo "$1: $rate req/s, p99 $p99 ms, non-2xx ${bad:-0}${errors:+, socket errors $errors}"
}
echo "bench-server: wrk, 2 threads, 64 connections, ${secs} s each"
serve
# 2 s of warm-up (threads, page cache, the first WAL pages), not counted
wrk -t2 -c64 -d2s -s submit.lua "http://127.0.0.1:$port/" >/dev/null
run "durable submissions on a new store" submit.lua
new_rate=$rate new_p99=$p99
stop
echo "bench-server: importing $n subjects..."
awk -v n="$n" 'BEGIN { print "email,first_name,last_name,city";
	for (i = 0; i < n; i++) printf "person%d@example.org,Jeanne,Martin,Paris\n", i }' > people.csv
"$pdvault" import customers people.csv >/dev/null
rm -f people.csv
token=$("$pdvault" --json token create sales --name bench | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
sed -i "s/TOKEN/$token/" lookup.lua
serve
run "lookup by email at $n subjects" lookup.lua
look_rate=$rate look_p99=$p99
run "durable submissions at $n subjects" submit.lua
sub_rate=$rate sub_p99=$p99
rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
stop
awk -v nr="$new_rate" -v np="$new_p99" -v sr="$sub_rate" -v sp="$sub_p99" -v lr="$look_rate" \
    -v lp="$look_p99" -v rss="$rss" -v n="$n" 'BEGIN {
	printf "submissions, new store:  %.0f/s (target 15000: ratio %.2f), p99 %.2f ms (target < 25: %s)\n",
		nr, nr / 15000, np, np < 25 ? "met" : "MISSED"
	printf "submissions, %d subjects: %.0f/s (ratio %.2f), p99 %.2f ms\n", n, sr, sr / 15000, sp
	printf "lookups, %d subjects:     %.0f/s (target 20000: ratio %.2f), p99 %.2f ms (target < 10: %s)\n",
		n, lr, lr / 20000, lp, lp < 10 ? "met" : "MISSED"
	printf "server RSS, %d subjects:  %.1f MiB peak (target < 64: %s)\n", n, rss / 1024,
		rss / 1024 < 64 ? "met" : "MISSED"
}'
