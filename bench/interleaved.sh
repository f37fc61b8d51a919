#!/usr/bin/env bash
# Interleaved redis-benchmark rounds against servers that are already running (redis-server, dst-server
# builds, ...): each round runs the test once against every port in turn, so the shared machine's slow
# moments fall on all of them alike. Prints each port's median requests per second (with the slowest
# and fastest round), the server's CPU time per request in that median round (utime + stime of the
# process listening on the port, from /proc) and the whole machine's busy CPU time per request in that
# round (all cores, /proc/stat: client, server, softirq and anything else running). On this 2-core
# machine client and server together saturate both cores, so throughput follows the machine's busy
# time per request rather than the server's alone (bench/README.md, session 13). Medians of
# interleaved rounds were steadier than compare-redis.sh's best of three (bench/README.md, session 9).
#
# usage: bench/interleaved.sh TEST PIPELINE REQUESTS ROUNDS PORT...
#   e.g. bench/interleaved.sh get 16 400000 15 6379 6380
# Warm each server up first (dst's JIT tiers up over the first million requests or so).
set -euo pipefail
[ $# -ge 5 ] || { sed -n '2,11p' "$0"; exit 2; }
test_name=$1; pipeline=$2; requests=$3; rounds=$4; shift 4

cd "$(dirname "$0")/.."
. bench/procfs.sh
# busy_ticks: ticks all cores spent busy (user, nice, system, irq, softirq, steal; not idle or iowait).
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }

declare -A results
for _ in $(seq "$rounds"); do
  for port in "$@"; do
    pid=$(server_pid "$port")
    [ -n "$pid" ] || { echo "nothing listens on port $port" >&2; exit 1; }
    before=$(cpu_ticks "$pid"); busy_before=$(busy_ticks)
    csv=$(redis-benchmark -h 127.0.0.1 -p "$port" -t "$test_name" -n "$requests" -P "$pipeline" -c 50 --csv 2>&1 | grep -v '^"test')
    after=$(cpu_ticks "$pid"); busy_after=$(busy_ticks)
    rps=$(echo "$csv" | tail -1 | cut -d, -f2 | tr -d '"')
    ns=$(ns_per_request $((after - before)) "$requests")
    busy_ns=$(ns_per_request $((busy_after - busy_before)) "$requests")
    results[$port]="${results[$port]:-} $rps/$ns/$busy_ns"
  done
done
for port in "$@"; do
  echo "${results[$port]}" | tr ' ' '\n' | grep . | sort -t/ -k1 -g |
    awk -F/ -v port="$port" '{ rps[NR] = $1; ns[NR] = $2; busy[NR] = $3 }
      END { m = int((NR + 1) / 2); printf "port %s: median %.0f rps (slowest %.0f, fastest %.0f), server CPU %s ns per request, machine busy %s ns per request\n", port, rps[m], rps[1], rps[NR], ns[m], busy[m] }'
done
