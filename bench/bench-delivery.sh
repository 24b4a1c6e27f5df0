#!/bin/sh
# bench-delivery.sh PDVAULT [N] — the courier of `pdvault serve --smtp` draining
# N queued messages (default 10,000) to a real local SMTP peer
# (tests/lib/smtpd.py on Debian's python3-aiosmtpd), in one run:
#   1. N verification codes queued through the public intake
#      (POST /v1/requests, kind access, one address each) by a server without a
#      relay: real messages, made the way the privacy center makes them
#   2. a server with --smtp on that store drains them, nothing else running:
#      the rate (messages/s), the server's CPU per message (utime+stime of
#      /proc/PID/stat, before and after) and the SMTP connections the peer saw
#      (the drain reuses its session)
#   3. the same server, the same run: wrk's durable submissions (64
#      connections, as bench-server.sh) while N/5 more codes, queued through the
#      intake meanwhile, are delivered; the submissions' p50 and p99 against
#      issue 5's target (< 25 ms) and the ratio
#   4. the same again on that store with the server restarted without a relay:
#      wrk's submissions while N/5 more codes are queued and nothing is
#      delivered; the submissions' p50 and p99 without draining, and the ratio
#      of the p99 while draining to it (what delivery costs the commit path)
# It prints figures and ratios and asserts nothing (bench/ rule). Needs wrk
# and python3-aiosmtpd (Debian packages).
set -eu
pdvault=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
n=${2:-10000}
secs=${BENCH_SECONDS:-10}
here=$(cd "$(dirname "$0")/.." && pwd)
command -v wrk >/dev/null || { echo "bench-delivery: wrk is missing (apt-get install wrk)"; exit 2; }
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null ||
	{ echo "bench-delivery: python3-aiosmtpd is missing (apt-get install python3-aiosmtpd)"; exit 2; }
dir=$(mktemp -d /tmp/pdv-bench-delivery-XXXXXX)
pid= smtp=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$smtp" ] && kill "$smtp" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
cp "$(dirname "$0")/bench.yaml" "$dir/pdvault.yaml"
cd "$dir"
export PDVAULT_CONFIG="$dir/pdvault.yaml"
"$pdvault" init >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
serve() {
	# wrk's 64 connections come from one address: no per-address limit
	"$pdvault" serve --listen "127.0.0.1:$port" --rate 0 --access-log off \
		--max-connections-per-address 0 "$@" 2>>serve.err &
	pid=$!
	for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
}
stop() { kill -TERM "$pid"; wait "$pid" || true; pid=; }
cpu_ms() { # utime + stime of the server (or of the process given), in ms
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) * 1000 / hz }' /proc/${1:-$pid}/stat
}
load0=$(cut -d' ' -f1 /proc/loadavg)
now_ms() { date +%s%3N; }
# queue FROM COUNT: that many codes through the intake, 8 keep-alive clients
queue() {
	python3 - "$port" "$1" "$2" <<'PY'
import http.client, json, sys, threading
port, first, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
bad = []
def client(k):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for i in range(first + k, first + count, 8):
        body = json.dumps({"kind": "access", "email": f"person{i}@bench.example"})
        c.request("POST", "/v1/requests", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        if r.status != 202:
            bad.append(r.status)
threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
for t in threads: t.start()
for t in threads: t.join()
if bad:
    sys.exit(f"bench-delivery: {len(bad)} intake answers not 202 (first {bad[0]})")
PY
}
delivered() { find "$dir/smtp" -name '*.eml' | wc -l; }
# pct WRK_OUTPUT 99%: that percentile of wrk --latency, in ms
pct() {
	echo "$1" | awk -v p="$2" '$1 == p { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
		else if (v ~ /ms$/) sub(/ms/, "", v); else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
		print v }'
}

echo "bench-delivery: queueing $n verification codes through the public intake..."
serve
t0=$(now_ms)
queue 0 "$n"
echo "bench-delivery: queued in $(( $(now_ms) - t0 )) ms (no relay: they wait)"
stop

mkdir smtp
/usr/bin/python3 "$here/tests/lib/smtpd.py" --dir "$dir/smtp" > smtp.out 2>smtp.err &
smtp=$!
for _ in $(seq 100); do grep -q READY smtp.out 2>/dev/null && break; sleep 0.05; done
smtp_port=$(awk '/READY/ {print $2}' smtp.out)
serve --smtp "smtp://127.0.0.1:$smtp_port"
c0=$(cpu_ms) t0=$(now_ms) r0=$(cpu_ms "$smtp")
while [ "$(delivered)" -lt "$n" ]; do
	sleep 0.1
	[ $(( $(now_ms) - t0 )) -gt 300000 ] && { echo "bench-delivery: gave up after 300 s at $(delivered)"; break; }
done
c1=$(cpu_ms) t1=$(now_ms) r1=$(cpu_ms "$smtp")
got=$(delivered)
conns=$(cat smtp/connections)

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
more=$(( n / 5 ))
echo "bench-delivery: wrk, 2 threads, 64 connections, ${secs} s, while $more more codes are queued and delivered"
queue "$n" "$more" &
queuer=$!
r2=$(cpu_ms "$smtp") s2=$(cpu_ms)
out=$(wrk -t2 -c64 -d"${secs}s" --latency -s submit.lua "http://127.0.0.1:$port/")
r3=$(cpu_ms "$smtp") s3=$(cpu_ms)
wait "$queuer" || true
for _ in $(seq 300); do [ "$(delivered)" -ge $(( n + more )) ] && break; sleep 0.1; done
rate=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
p50=$(pct "$out" 50%) p99=$(pct "$out" 99%)
bad=$(echo "$out" | awk '/Non-2xx/ {print $5}')
late=$(delivered)
conns2=$(cat smtp/connections)
stop

echo "bench-delivery: the same without a relay (nothing delivered), while $more more codes are queued"
serve
queue $(( n + more )) "$more" &
queuer=$!
out=$(wrk -t2 -c64 -d"${secs}s" --latency -s submit.lua "http://127.0.0.1:$port/")
wait "$queuer" || true
stop
base_rate=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
base_p50=$(pct "$out" 50%) base_p99=$(pct "$out" 99%)
once=$(cat smtp/*.json | python3 -c 'import sys, json, re
seen = re.findall(r"\"rcpt_tos\": \[\"([^\"]+)\"\]", sys.stdin.read())
print(len(seen) - len(set(seen)))')

awk -v n="$n" -v got="$got" -v ms="$((t1 - t0))" -v cpu="$(echo "$c1 $c0" | awk '{print $1 - $2}')" \
    -v conns="$conns" -v rate="$rate" -v p99="$p99" -v bad="${bad:-0}" -v more="$more" \
    -v late="$late" -v conns2="$conns2" -v dup="$once" -v p50="$p50" -v brate="$base_rate" \
    -v bp50="$base_p50" -v bp99="$base_p99" -v relay="$(echo "$r1 $r0" | awk '{print $1 - $2}')" \
    -v relay2="$(echo "$r3 $r2" | awk '{print $1 - $2}')" -v srv2="$(echo "$s3 $s2" | awk '{print $1 - $2}')" \
    -v secs="$secs" -v load0="$load0" -v load1="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
	printf "delivery, %d queued codes:  %d delivered in %.1f s: %.0f messages/s\n", n, got, ms / 1000, got * 1000 / ms
	printf "server CPU per message:       %.3f ms (%.0f ms for %d messages)\n", cpu / got, cpu, got
	printf "relay CPU (the peer, same cores): %.3f ms a message in the drain; %.0f ms during the %d s of wrk (the server: %.0f ms)\n",
		relay / got, relay2, secs, srv2
	printf "load average (1 min):         %s at the start, %s at the end (2 cores)\n", load0, load1
	printf "SMTP connections (peer):      %d for the drain (one is the server probing the relay at start), %d in all\n", conns, conns2
	printf "submissions while delivering: %.0f/s (target 15000: ratio %.2f), p50 %.2f ms, p99 %.2f ms (target < 25: %s, ratio %.2f), non-2xx %d\n",
		rate, rate / 15000, p50, p99, p99 < 25 ? "met" : "MISSED", p99 / 25, bad
	printf "submissions, nothing draining: %.0f/s, p50 %.2f ms, p99 %.2f ms (no relay, the same codes queued meanwhile)\n",
		brate, bp50, bp99
	printf "p99 draining / not draining:  %.2f; rate %.2f\n", p99 / bp99, rate / brate
	printf "codes queued meanwhile:       %d, delivered %d of %d in all; addresses received twice: %d\n",
		more, late, n + more, dup
}'
