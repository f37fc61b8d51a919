#!/usr/bin/env bash
# Runs redis-benchmark against redis-server (Debian) and dst-server (Release) side by side in the
# same run and prints requests per second for each and the ratio dst/redis; then loads the same
# 1,000,000 keys into both and compares memory. See bench/README.md for how to read the output.
#
# usage: bench/compare-redis.sh [-n REQUESTS] [-r ROUNDS] [--quick] [--strings-only]
#   -n N      requests per redis-benchmark run (default 200000)
#   --strings-only  in-memory mode runs only set,get (skips the data-structure tests of issue 3)
#   -r R      run every benchmark R times, alternating servers, and keep each one's best (default 1)
#   --quick   a fast smoke run: 20000 requests, 100000 keys for the memory comparison
set -euo pipefail
cd "$(dirname "$0")/.."

requests=200000
rounds=1
# In-memory mode also runs the data-structure tests; durable mode compares the string write path.
structure_tests="lpush rpush lpop rpop sadd hset spop zadd zpopmin lrange_100 mset"
memory_keys=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    -n) requests="$2"; shift 2 ;;
    -r) rounds="$2"; shift 2 ;;
    --quick) requests=20000; memory_keys=100000; shift ;;
    --strings-only) structure_tests=""; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done

for tool in redis-server redis-cli redis-benchmark python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y redis-server redis-tools python3)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/dst-compare-XXXXXX)
pids=()
cleanup() {
  exec 2>/dev/null # no "Killed" job notices at exit
  for pid in "${pids[@]}"; do kill -9 "$pid" || true; done
  wait || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "building dst-server (Release)..."
dotnet build src/Dst.Server/Dst.Server.csproj -c Release -nologo -v quiet >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; exit 1; }
dst_dll=src/Dst.Server/bin/Release/net10.0/dst-server.dll

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits until the server on port $1 answers PING (60 s on a loaded machine), else shows its log.
wait_ready() {
  local port=$1 log=$2
  for _ in $(seq 600); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$port" PING 2>/dev/null)" = PONG ]; then return 0; fi
    sleep 0.1
  done
  echo "server on port $port did not answer PING; its log:" >&2
  cat "$log" >&2
  exit 1
}

# start_redis NAME ARGS... / start_dst NAME ARGS...: start a server on a free port, set
# ${NAME}_port and ${NAME}_pid.
start_redis() {
  local name=$1; shift
  local port dir
  port=$(free_port); dir="$work/$name"; mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize no "$@" >"$dir.log" 2>&1 &
  pids+=($!); printf -v "${name}_pid" %s $!; printf -v "${name}_port" %s "$port"
  wait_ready "$port" "$dir.log"
}
start_dst() {
  local name=$1; shift
  local port dir
  port=$(free_port); dir="$work/$name"
  dotnet "$dst_dll" --port "$port" --bind 127.0.0.1 --dir "$dir" "$@" >"$dir.log" 2>&1 &
  pids+=($!); printf -v "${name}_pid" %s $!; printf -v "${name}_port" %s "$port"
  wait_ready "$port" "$dir.log"
}
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# rps PORT PIPELINE TEST: requests per second of one redis-benchmark test, from its CSV output.
# CSV names can carry a note ("LRANGE_100 (first 100 elements)", "MSET (10 keys)") and some tests
# run a preparing test first ("LPUSH (needed to benchmark LRANGE)"): take the row that starts with the name.
rps() {
  local csv
  csv=$(redis-benchmark -h 127.0.0.1 -p "$1" -t "$3" -n "$requests" -c 50 -P "$2" --csv 2>&1) ||
    { echo "redis-benchmark failed against port $1: $csv" >&2; exit 1; }
  echo "$csv" | awk -F'"' -v test="$(echo "$3" | tr a-z A-Z)" '!found && (index($2, test " ") == 1 || $2 == test) { print $4; found = 1 } END { if (!found) exit 1 }' ||
    { echo "no $3 result in redis-benchmark output: $csv" >&2; exit 1; }
}

best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b) ? a : b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

printf '\n%-9s %-4s %-10s %14s %14s %10s\n' mode -P test "redis rps" "dst rps" "dst/redis"
# run_mode MODE REDIS_ARGS_ARRAY DST_ARGS_ARRAY (arrays passed by name)
run_mode() {
  local mode=$1 tests=$4
  local -n redis_args=$2 dst_args=$3
  start_redis redis "${redis_args[@]}"
  start_dst dst "${dst_args[@]}"
  for pipeline in 1 16; do
    for test in $tests; do
      local r=0 d=0 measured
      for _ in $(seq "$rounds"); do
        measured=$(rps "$redis_port" "$pipeline" "$test"); r=$(best "$r" "$measured")
        measured=$(rps "$dst_port" "$pipeline" "$test"); d=$(best "$d" "$measured")
      done
      printf '%-9s %-4s %-10s %14s %14s %10s\n' "$mode" "$pipeline" "$test" "$r" "$d" "$(ratio "$d" "$r")"
    done
  done
  stop "$redis_pid"; stop "$dst_pid"
  rm -rf "$work/redis" "$work/dst"
}
redis_in_memory=(--save "" --appendonly no)
dst_in_memory=(--appendfsync no)
redis_durable=(--save "" --appendonly yes --appendfsync always)
dst_durable=(--appendfsync always)
run_mode in-memory redis_in_memory dst_in_memory "set get $structure_tests"
run_mode durable redis_durable dst_durable "set get"

echo
echo "memory: loading $memory_keys keys key:NNNNNNNN with 16-byte values into each..."
python3 - "$memory_keys" >"$work/load.resp" <<'PY'
import sys
count = int(sys.argv[1])
out = sys.stdout.buffer
for i in range(count):
    key = b"key:%08d" % i
    value = b"value:%010d" % i  # exactly 16 bytes
    out.write(b"*3\r\n$3\r\nSET\r\n$12\r\n%s\r\n$16\r\n%s\r\n" % (key, value))
PY
start_redis redis --save '' --appendonly no
start_dst dst --appendfsync no
load() {
  local out
  out=$(redis-cli -h 127.0.0.1 -p "$1" --pipe <"$work/load.resp" 2>&1) || { echo "$out" >&2; exit 1; }
  echo "$out" | grep -q "errors: 0, replies: $memory_keys" || { echo "load into port $1 failed: $out" >&2; exit 1; }
  local size
  size=$(redis-cli -h 127.0.0.1 -p "$1" DBSIZE)
  [ "$size" = "$memory_keys" ] || { echo "port $1 holds $size keys, expected $memory_keys" >&2; exit 1; }
}
load "$redis_port"
load "$dst_port"
redis_rss=$(redis-cli -h 127.0.0.1 -p "$redis_port" INFO memory | tr -d '\r' | awk -F: '$1 == "used_memory_rss" { print $2 }')
dst_rss=$(( $(awk '$1 == "VmRSS:" { print $2 }' "/proc/$dst_pid/status") * 1024 ))
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
printf '%-28s %14s\n' "redis used_memory_rss" "$(mib "$redis_rss")"
printf '%-28s %14s\n' "dst VmRSS" "$(mib "$dst_rss")"
printf '%-28s %14s\n' "dst/redis" "$(ratio "$dst_rss" "$redis_rss")"
