#!/usr/bin/env bash
# System calls per request, of each server and of redis-benchmark: runs one redis-benchmark test
# against each server that is already running (redis-server, dst-server builds, ...), counting with
# `perf stat` the system calls of the process listening on the port and of the client, and prints them
# per 1,000 requests with the server's user and system CPU time per request. On this paravirtualized VM
# any system call costs about 1 us (bench/syscall-cost.c), so a server's extra calls are its extra
# system time (bench/README.md, session 16). Needs perf and root (tracepoints).
#
# usage: bench/syscalls.sh TEST PIPELINE REQUESTS PORT...
#   e.g. bench/syscalls.sh hset 16 2000000 6379 6382
# Warm each server up first (dst's JIT tiers up over the first million requests or so).
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,11p' "$0"; exit 2; }
test_name=$1; pipeline=$2; requests=$3; shift 3
command -v perf >/dev/null || { echo "missing perf (apt-get install -y linux-perf)" >&2; exit 1; }

cd "$(dirname "$0")/.."
. bench/procfs.sh
events=raw_syscalls:sys_enter
for call in epoll_wait read recvfrom write sendto pwrite64 fdatasync fsync futex; do
  events="$events,syscalls:sys_enter_$call"
done

# per_thousand FILE: the perf stat counts in FILE as "all epoll_wait read write pwrite64 fsync futex" per 1,000
# requests (read counts read and recvfrom, write counts write and sendto, fsync counts fsync and fdatasync).
per_thousand() {
  awk -v requests="$requests" '
    $2 ~ /^(raw_)?syscalls:/ { gsub(",", "", $1); name = $2; sub(/^.*sys_enter_?/, "", name); count[name] = $1 }
    END {
      printf "%7.0f %10.1f %7.1f %7.1f %8.1f %7.1f %7.1f", 1000 * count[""] / requests, 1000 * count["epoll_wait"] / requests,
        1000 * (count["read"] + count["recvfrom"]) / requests, 1000 * (count["write"] + count["sendto"]) / requests,
        1000 * count["pwrite64"] / requests, 1000 * (count["fsync"] + count["fdatasync"]) / requests, 1000 * count["futex"] / requests
    }' "$1"
}

work=$(mktemp -d /tmp/dst-syscalls-XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '%-22s %7s %10s %7s %7s %8s %7s %7s %10s %10s\n' "per 1,000 requests" all epoll_wait read write pwrite64 fsync futex "user ns" "sys ns"
for port in "$@"; do
  pid=$(server_pid "$port")
  [ -n "$pid" ] || { echo "nothing listens on port $port" >&2; exit 1; }
  perf stat -x ' ' -e "$events" -p "$pid" -o "$work/server" &
  perf_pid=$!
  sleep 0.5 # perf attaches to every thread before the run starts
  read -r user_before sys_before <<<"$(user_sys_ticks "$pid")"
  perf stat -x ' ' -e "$events" -o "$work/client" -- \
    redis-benchmark -h 127.0.0.1 -p "$port" -t "$test_name" -n "$requests" -P "$pipeline" -c 50 -q >/dev/null
  read -r user_after sys_after <<<"$(user_sys_ticks "$pid")"
  kill -INT "$perf_pid"; wait "$perf_pid" || true
  printf '%-22s %s %10d %10d\n' "server on $port" "$(per_thousand "$work/server")" \
    "$(ns_per_request $((user_after - user_before)) "$requests")" "$(ns_per_request $((sys_after - sys_before)) "$requests")"
  printf '%-22s %s\n' "  its redis-benchmark" "$(per_thousand "$work/client")"
done
