#!/usr/bin/env bash
# A/B of two dst-server builds on one node, alternating, for a change's effect on a noisy shared
# machine: CPU time per request (utime + stime from /proc/<pid>/stat), context switches per request
# (all threads), requests per fsync (perf stat, when perf is installed) and requests per second.
# Each round starts a fresh server from each build, warms it up, then runs one redis-benchmark.
#
# usage: bench/ab-cpu.sh BASE NEW [-n REQUESTS] [-w WARMUP] [-P PIPELINE] [-t TEST] [-r ROUNDS] [-- SERVER-ARGS...]
#   BASE, NEW   checkouts of the repository (e.g. a worktree: git worktree add /tmp/base main --detach);
#               each is built in Release first
#   -n N        requests per run (default 200000)   -P P   pipeline depth (default 1)
#   -t T        redis-benchmark test (default set)  -r R   rounds (default 3)
#   -w W        warm-up requests before the measured run (default 100000); the JIT's tier-up of the
#               request path takes about 3M requests at -P 16, so the default measures it too (0.5-0.75
#               us/req of a 1M-request run) and -w 3000000 measures the steady state
#   SERVER-ARGS extra dst-server options for both (e.g. --appendfsync no)
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,15p' "$0"; exit 2; }
base=$(cd "$1" && pwd); new=$(cd "$2" && pwd); shift 2
requests=200000; warmup=100000; pipeline=1; test_name=set; rounds=3; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) requests="$2"; shift 2 ;;
    -w) warmup="$2"; shift 2 ;;
    -P) pipeline="$2"; shift 2 ;;
    -t) test_name="$2"; shift 2 ;;
    -r) rounds="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/dst-ab-XXXXXX)
pids=()
cd "$(dirname "$0")/.."
. bench/common.sh
for tree in "$base" "$new"; do (cd "$tree" && build_dst_server); done

switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s }'; }

run() { # run TREE PORT
  local dir="$work/data-$RANDOM" perf_pid= syncs=0
  dotnet "$1/$dst_dll" --port "$2" --bind 127.0.0.1 --dir "$dir" "${extra[@]}" >"$dir.log" 2>&1 &
  pid=$!; pids=("$pid")
  until answers "$2"; do sleep 0.1; done
  redis-benchmark -p "$2" -t "$test_name" -n "$warmup" -P "$pipeline" -c 50 -q >/dev/null 2>&1
  local cpu0 cs0 cpu1 cs1 out
  cpu0=$(cpu_ticks "$pid"); cs0=$(switches "$pid")
  if command -v perf >/dev/null; then
    perf stat -e 'syscalls:sys_enter_fdatasync,syscalls:sys_enter_fsync' -p "$pid" -o "$dir.perf" 2>/dev/null &
    perf_pid=$!
  fi
  out=$(redis-benchmark -p "$2" -t "$test_name" -n "$requests" -P "$pipeline" -c 50 -q 2>/dev/null | tr '\r' '\n' | grep -v '^$' | tail -1)
  cpu1=$(cpu_ticks "$pid"); cs1=$(switches "$pid")
  if [ -n "$perf_pid" ]; then
    kill -INT "$perf_pid"; wait "$perf_pid" 2>/dev/null || true
    syncs=$(awk '/sys_enter_f/ { gsub(",", "", $1); s += $1 } END { print s + 0 }' "$dir.perf")
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true; pids=()
  local tick_us=$((1000000 / $(getconf CLK_TCK)))
  printf '%-40s %-5s -P %-3s %7.2f us/req  %5.3f ctx/req  %8s req/fsync  %s\n' "$1" "$test_name" "$pipeline" \
    "$(echo "($cpu1 - $cpu0) * $tick_us / $requests" | bc -l)" "$(echo "($cs1 - $cs0) / $requests" | bc -l)" \
    "$([ "$syncs" -gt 0 ] && echo $((requests / syncs)) || echo -)" "$(echo "$out" | grep -o '[0-9.]* requests per second' || echo "$out")"
}

read -r port <<<"$(free_ports 1)"
for _ in $(seq "$rounds"); do
  run "$base" "$port"
  run "$new" "$port"
done
