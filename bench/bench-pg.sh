#!/bin/sh
# bench-pg.sh PDVAULT — issue 14's figures on PostgreSQL, in one run, each
# printed with its ratio to its reference and the issue's target:
#   1. durable submissions through two `pdvault serve` on one PostgreSQL
#      (wrk, 32 connections on each) vs bench-pg-bare, a bare libpq program
#      writing the same rows per submission with the same freedom to batch
#      (pipeline mode, 64 submissions per transaction, one connection per
#      server): >= 0.5x; and, the target proposed in its place
#      (docs/internals/multi-server.md, "Measured"), vs one pdvault server
#      on SQLite under the same load (wrk, 64 connections): >= 0.5x; and,
#      for information, vs the bare program sending each insert of a
#      transaction as one statement of 64 rows (bench-pg-bare ... many), as
#      pdvault's store sends a group's new people; and, for information, the
#      issue's own figures for a bare PostgreSQL ("about 1,500 submissions/s
#      committing each alone and about 5,700/s in batches of 32"), measured
#      here as a program that waits for each statement makes them, on one
#      connection (bench-pg-bare ... wait, 1 and 32 per transaction), and
#      as the bare program makes it on one connection, pipelined, 32 per
#      transaction; and, for information, the same two servers with no row
#      to write (GET /healthz, which no worker sees, and a refused
#      submission, which goes through the worker and its group's
#      transaction), against the bare program
#   2. lookups by email at N subjects (each an audited read), PostgreSQL vs
#      SQLite (wrk, 64 connections): >= 0.5x
#   3. import of N records into PostgreSQL vs a bare COPY of the same rows
#      (every table the import filled, copied out and loaded again by psql's
#      \copy in one transaction): >= 0.25x
#   4. migrate of M records SQLite -> PostgreSQL -> SQLite, timed, with show
#      and both exports of sampled subjects compared and the chain verified
# N: BENCH_PG_N (default 1,000,000); M: BENCH_PG_MIGRATE (default 100,000);
# BENCH_SECONDS per wrk run (default 10); BENCH_PG_PARTS: the parts to run,
# by name (default "submissions lookups import migrate"; e.g.
# BENCH_PG_PARTS=submissions for the first alone, while working on it).
# BENCH_PG_PERF=FILE records the first server's profile during part 1
# (perf record -g), for `perf report -i FILE`. PostgreSQL 15 is started here
# (tests/lib/pgserver.py --durable: fsync on), stopped at the end.
set -eu
pdvault=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
build=$(dirname "$(dirname "$(dirname "$pdvault")")")
bare="$build/bench/bench-pg-bare"
here=$(cd "$(dirname "$0")" && pwd)
n=${BENCH_PG_N:-1000000}
m=${BENCH_PG_MIGRATE:-100000}
secs=${BENCH_SECONDS:-10}
parts=${BENCH_PG_PARTS:-submissions lookups import migrate}
part() { case " $(echo "$parts" | tr ',' ' ') " in *" $1 "*) return 0 ;; esac; return 1; }
psql=/usr/lib/postgresql/15/bin/psql
command -v wrk >/dev/null || { echo "bench-pg: wrk is missing (apt-get install wrk)"; exit 2; }
[ -x "$bare" ] || { echo "bench-pg: $bare is not built"; exit 2; }
dir=$(mktemp -d /tmp/pdv-bench-pg-XXXXXX)
chmod 755 "$dir"
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	exec 3>&- 2>/dev/null || true # the PostgreSQL helper stops at the end of its input
	sleep 1
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
cd "$dir"
mkfifo pg.ctl
python3 "$here/../tests/lib/pgserver.py" --durable < pg.ctl > pg.url 2> pg.err &
exec 3> pg.ctl
for _ in $(seq 300); do [ -s pg.url ] && break; sleep 0.1; done
base=$(head -n 1 pg.url)
[ -n "$base" ] || { echo "bench-pg: PostgreSQL did not start: $(cat pg.err)"; exit 3; }
store() { # NAME -> a fresh schema's URL
	"$psql" -X -q -d "$base" -c "DROP SCHEMA IF EXISTS $1 CASCADE; CREATE SCHEMA $1" 2>/dev/null
	echo "$base?options=-csearch_path%3D$1"
}
now() { date +%s.%N; }
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
serve() { # DIR PORT DB [GLOBAL OPTIONS...] -> a server in the background, up
	d=$1 p=$2 db=$3
	shift 3
	(cd "$d" && exec "$pdvault" --db "$db" "$@" serve --listen "127.0.0.1:$p" --rate 0 \
		--access-log off --max-connections-per-address 0 2>>serve.err) &
	pids="$pids $!"
	for _ in $(seq 200); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null 2>&1 && return; sleep 0.05; done
	echo "bench-pg: a server did not come up: $(cat "$d/serve.err")"
	exit 3
}
stop_all() {
	for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	pids=
}
wrk_rate() { # CONNECTIONS SCRIPT PORT [SCRIPT ARGS...] -> "rate non2xx"
	c=$1 sc=$2 p=$3
	shift 3
	wrk -t1 -c"$c" -d"${secs}s" -s "$sc" "http://127.0.0.1:$p/" -- "$@" |
		awk '/^Requests\/sec/ {r = $2} /Non-2xx/ {b = $5} END {print r, b + 0}'
}
two_rates() { # SCRIPT -> "rate non2xx" of the two servers of part 1 (ports p1, p2), at once,
	# 32 connections each; the script's argument names the server (a, b)
	wrk_rate 32 "$1" "$p1" a > a.out &
	wa=$!
	wrk_rate 32 "$1" "$p2" b > b.out
	wait "$wa"
	cat a.out b.out | awk '{r += $1; b += $2} END {print r, b}'
}
vault() { # DIR DB -> a vault there
	mkdir -p "$1"
	cp "$here/bench.yaml" "$1/pdvault.yaml"
	(cd "$1" && PDVAULT_CONFIG="$1/pdvault.yaml" "$pdvault" --db "$2" init >/dev/null)
}
people() { # COUNT FILE
	awk -v n="$1" 'BEGIN { print "email,first_name,last_name,city";
		for (i = 0; i < n; i++) printf "person%d@example.org,Jeanne,Martin,Paris\n", i }' > "$2"
}
# each load generator its own addresses (wrk's `-- TAG`): every submission
# is a new person, as every one of the bare program's is a new subject (two
# generators sharing one sequence would make half of them attach to people
# the other had just made)
cat > submit.lua <<'LUA'
local counter = 0
local tag = "x"
function init(args)
  tag = args[1] or tag
end
function request()
  counter = counter + 1
  local body = string.format('{"fields":{"email":"w%s-%d@bench.example","first_name":"A",' ..
    '"last_name":"B","city":"C"}}', tag, counter)
  return wrk.format("POST", "/v1/activities/customers/submissions",
    {["Content-Type"] = "application/json"}, body)
end
LUA
cat > healthz.lua <<'LUA'
function request()
  return wrk.format("GET", "/healthz")
end
LUA
# an address the submission refuses (422): validated on the worker, in the
# group's transaction, no row written
cat > refused.lua <<'LUA'
function request()
  return wrk.format("POST", "/v1/activities/customers/submissions",
    {["Content-Type"] = "application/json"},
    '{"fields":{"email":"not an address","first_name":"A","last_name":"B","city":"C"}}')
end
LUA
echo "bench-pg: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work)," \
	"N=$n, M=$m, ${secs} s per wrk run"

sub_rate=0 sub_bad=0 hz_rate=0 ref_rate=0 bare_rate=0 many_rate=0 alone_rate=0 wait32_rate=0 pipe32_rate=0 one_rate=0 pg_look="0 0" sq_look="0 0" imp_secs=0 copy_secs=0
t0=0 t1=0 t2=0 same=- chain=-

# 1. durable submissions: two servers vs the bare program
if part submissions; then
two=$(store two)
vault "$dir/two" "$two"
export PDVAULT_CONFIG="$dir/two/pdvault.yaml"
p1=$(port) p2=$(port)
serve "$dir/two" "$p1" "$two" --server-id a
first=${pids##* }
serve "$dir/two" "$p2" "$two" --server-id b
wrk -t1 -c32 -d2s -s submit.lua "http://127.0.0.1:$p1/" -- warm >/dev/null # not counted
perf=
if [ -n "${BENCH_PG_PERF:-}" ]; then
	perf record -q -g -o "$BENCH_PG_PERF" -p "$first" -- sleep "$secs" 2>/dev/null &
	perf=$!
fi
two_rates submit.lua > sub.rate
[ -z "$perf" ] || wait "$perf" || true
# for information, the same two servers with no row to write: what their
# path costs without the store's work (multi-server.md, "The servers'
# path without rows")
two_rates healthz.lua > hz.rate
two_rates refused.lua > ref.rate
stop_all
read -r sub_rate sub_bad < sub.rate
read -r hz_rate _ < hz.rate
read -r ref_rate _ < ref.rate
(cd "$dir/two" && "$pdvault" --db "$two" --server-id a audit verify >/dev/null) ||
	{ echo "bench-pg: the chain of the two servers does not verify"; exit 1; }
bare_url=$(store bare)
vault "$dir/bare" "$bare_url"
bare_rate=$("$bare" "$bare_url" "$secs" 2 64 | awk '{print $2}')
# the same, each insert of a transaction as one statement of its 64 rows,
# as pdvault's store sends a group's new people (store-pg.md, "Batches")
many_url=$(store many)
vault "$dir/many" "$many_url"
many_rate=$("$bare" "$many_url" "$secs" 2 64 many | awk '{print $2}')
# the issue's figures for a bare PostgreSQL: one connection, each statement
# waited for, a submission a transaction and 32 a transaction
alone_url=$(store alone)
vault "$dir/alone" "$alone_url"
alone_rate=$("$bare" "$alone_url" "$secs" 1 1 wait | awk '{print $2}')
wait32_url=$(store waited)
vault "$dir/waited" "$wait32_url"
wait32_rate=$("$bare" "$wait32_url" "$secs" 1 32 wait | awk '{print $2}')
pipe32_url=$(store piped)
vault "$dir/piped" "$pipe32_url"
pipe32_rate=$("$bare" "$pipe32_url" "$secs" 1 32 | awk '{print $2}')
# the same load on one pdvault server on SQLite (no round trip, no lock
# between servers): what pdvault itself manages on this machine
vault "$dir/one" "sqlite:$dir/one/pdvault.db"
p3=$(port)
PDVAULT_CONFIG="$dir/one/pdvault.yaml" serve "$dir/one" "$p3" "sqlite:$dir/one/pdvault.db"
wrk -t1 -c64 -d2s -s submit.lua "http://127.0.0.1:$p3/" -- warm >/dev/null
one_rate=$(wrk_rate 64 submit.lua "$p3" one | awk '{print $1}')
stop_all
# every submission a new person, as every one of the bare program's
echo "bench-pg: submissions: $("$psql" -X -q -A -t -d "$two" -c \
	"SELECT count(*) || ' records of ' || count(DISTINCT subject_id) || ' people' FROM records")"
fi

# 2 and 3. import N into PostgreSQL (timed) and SQLite; lookups on both
if part import || part lookups; then
people "$n" people.csv
imp=$(store imp)
vault "$dir/imp" "$imp"
export PDVAULT_CONFIG="$dir/imp/pdvault.yaml"
t0=$(now)
(cd "$dir/imp" && "$pdvault" --db "$imp" import customers "$dir/people.csv" >/dev/null)
t1=$(now)
imp_secs=$(echo "$t0 $t1" | awk '{print $2 - $1}')
vault "$dir/sq" "sqlite:$dir/sq/pdvault.db"
(cd "$dir/sq" && PDVAULT_CONFIG="$dir/sq/pdvault.yaml" "$pdvault" import customers "$dir/people.csv" >/dev/null)
# the bare COPY: the same rows, out of the imported schema and loaded by
# psql into an empty vault schema (the same indexes and constraints)
cp_url=$(store cp)
(cd "$dir/imp" && "$pdvault" --db "$cp_url" --key-file cp.key init >/dev/null)
echo "BEGIN;" > load.sql
for t in meta subjects lookups records audit; do
	"$psql" -X -q -d "$imp" -c "\\copy $t TO '$dir/$t.bin' (FORMAT binary)"
	printf '%s\n' "\\copy $t FROM '$dir/$t.bin' (FORMAT binary)" >> load.sql
done
echo "COMMIT;" >> load.sql
"$psql" -X -q -d "$cp_url" -c "TRUNCATE meta, subjects, lookups, records, audit CASCADE" 2>/dev/null
t0=$(now)
"$psql" -X -q -v ON_ERROR_STOP=1 -d "$cp_url" -f load.sql
t1=$(now)
copy_secs=$(echo "$t0 $t1" | awk '{print $2 - $1}')
rm -f ./*.bin
lookup() { # DIR DB PORT -> rate, after a token and a server
	tok=$(cd "$1" && PDVAULT_CONFIG="$1/pdvault.yaml" "$pdvault" --db "$2" --json token create sales \
		--name bench | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
	cat > lookup.lua <<LUA
math.randomseed(os.time())
function request()
  return wrk.format("GET", "/v1/subjects?email=person" .. math.random(0, $n - 1) ..
    "@example.org", {["Authorization"] = "Bearer $tok"})
end
LUA
	PDVAULT_CONFIG="$1/pdvault.yaml" serve "$1" "$3" "$2"
	wrk -t1 -c64 -d2s -s lookup.lua "http://127.0.0.1:$3/" >/dev/null
	wrk_rate 64 lookup.lua "$3"
	stop_all
}
if part lookups; then
	pg_look=$(lookup "$dir/imp" "$imp" "$(port)")
	sq_look=$(lookup "$dir/sq" "sqlite:$dir/sq/pdvault.db" "$(port)")
fi
fi

# 4. migrate M records there and back
if part migrate; then
people "$m" mig.csv
vault "$dir/mig" "sqlite:$dir/mig/first.db"
export PDVAULT_CONFIG="$dir/mig/pdvault.yaml"
cd "$dir/mig"
"$pdvault" --db "sqlite:first.db" import customers "$dir/mig.csv" >/dev/null
sample=$(awk -v m="$m" 'BEGIN { srand(7); for (i = 0; i < 5; i++) print int(rand() * m) }')
seen() { # DB FILE
	: > "$2"
	for i in $sample; do
		s=$("$pdvault" --db "$1" --json find --email "person$i@example.org" |
			grep -o '"s[A-Za-z0-9_-]\{15,\}"' | tr -d '"' | head -n 1)
		"$pdvault" --db "$1" --json show "$s" >> "$2"
		"$pdvault" --db "$1" --json export "$s" >> "$2"
		"$pdvault" --db "$1" --json export "$s" --portable >> "$2"
	done
}
seen "sqlite:first.db" before.json
mig=$(store mig)
t0=$(now)
"$pdvault" --db "sqlite:first.db" migrate --quiet --to "$mig" >/dev/null
t1=$(now)
"$pdvault" --db "$mig" migrate --quiet --to "sqlite:back.db" >/dev/null
t2=$(now)
seen "sqlite:back.db" after.json
same=no
cmp -s before.json after.json && same=yes
"$pdvault" --db "sqlite:back.db" audit verify >/dev/null && chain=verifies || chain=BROKEN
cd "$dir"
fi

echo "$sub_rate $sub_bad $bare_rate $one_rate $(echo "$pg_look") $(echo "$sq_look") $imp_secs $copy_secs" \
	"$(echo "$t0 $t1 $t2" | awk '{print $2 - $1, $3 - $2}') $same $chain $many_rate $alone_rate $wait32_rate $pipe32_rate $hz_rate $ref_rate" | awk -v n="$n" -v m="$m" -v parts=" $(echo "$parts" | tr ',' ' ') " '
function ran(p) { return index(parts, " " p " ") > 0 }
{
	sub_rate = $1; sub_bad = $2; bare = $3; one = $4; pgl = $5; pgb = $6; sql = $7; sqb = $8
	imp = $9; cp = $10; to_pg = $11; back = $12; same = $13; chain = $14; many = $15; alone = $16; w32 = $17; p32 = $18; hz = $19; ref = $20
	r = bare > 0 ? sub_rate / bare : 0
	if (ran("submissions")) printf "durable submissions, two servers on PostgreSQL: %.0f/s (non-2xx %d) vs bare libpq %.0f/s: ratio %.2f (target 0.5: %s)\n",
		sub_rate, sub_bad, bare, r, (r >= 0.5 ? "met" : "MISSED")
	r = many > 0 ? sub_rate / many : 0
	if (ran("submissions")) printf "durable submissions, two servers on PostgreSQL vs bare libpq with each insert of 64 rows at once %.0f/s: ratio %.2f (for information)\n",
		many, r
	if (ran("submissions")) printf "the issue'"'"'s figures for a bare PostgreSQL, here on one connection: %.0f/s committing each alone, each statement waited for (issue: about 1,500/s); in batches of 32 (issue: about 5,700/s) %.0f/s each statement waited for, %.0f/s pipelined; two servers: %.2fx and %.2fx those (for information)\n",
		alone, w32, p32, (w32 > 0 ? sub_rate / w32 : 0), (p32 > 0 ? sub_rate / p32 : 0)
	if (ran("submissions")) printf "the two servers with no row to write: GET /healthz %.0f/s (no worker); a refused submission %.0f/s (the worker and the group'"'"'s transaction), %.2fx the bare program (for information)\n",
		hz, ref, (bare > 0 ? ref / bare : 0)
	r = one > 0 ? sub_rate / one : 0
	if (ran("submissions")) printf "durable submissions, two servers on PostgreSQL vs one pdvault server on SQLite %.0f/s (64 connections): ratio %.2f (proposed target 0.5: %s)\n",
		one, r, (r >= 0.5 ? "met" : "MISSED")
	r = sql > 0 ? pgl / sql : 0
	if (ran("lookups")) printf "lookups by email at %d subjects: PostgreSQL %.0f/s (non-2xx %d) vs SQLite %.0f/s (non-2xx %d): ratio %.2f (target 0.5: %s)\n",
		n, pgl, pgb, sql, sqb, r, (r >= 0.5 ? "met" : "MISSED")
	r = imp > 0 ? cp / imp : 0
	if (ran("import")) printf "import of %d records into PostgreSQL: %.1f s (%.0f records/s) vs a bare COPY of the same rows %.1f s: ratio %.2f (target 0.25: %s)\n",
		n, imp, n / imp, cp, r, (r >= 0.25 ? "met" : "MISSED")
	if (ran("migrate")) printf "migrate of %d records: SQLite -> PostgreSQL %.1f s (%.0f records/s), back to SQLite %.1f s (%.0f records/s); show and export of 5 sampled subjects the same: %s; chain %s\n",
		m, to_pg, m / to_pg, back, m / back, same, chain
}'
