#!/usr/bin/env bash
# Runs redis-benchmark against redis-server (Debian) and dst-server (Release) side by side in the
# same run and prints requests per second for each, the ratio dst/redis and each server's CPU time
# per request (medians of the runs); then loads the same 1,000,000 keys into both and compares
# memory. See bench/README.md for how to read the output.
#
# usage: bench/compare-redis.sh [-n REQUESTS] [-r ROUNDS] [--quick] [--strings-only] [--memory-only]
#   -n N      requests per redis-benchmark run at -P 1 (default 200000); runs at -P 16 send 16 times as
#             many, so that they last about as long (a run of a tenth of a second swung 0.75-1.31 with
#             one scheduling hiccup on this shared machine)
#   --strings-only  in-memory mode runs only set,get and memory only strings (skips the data-structure tests of issue 3)
#   --memory-only   skips the throughput runs: only the memory comparison (no CPU load on other work for long)
#   -r R      run every benchmark R times, alternating servers, and report each one's median (default 1;
#             medians of interleaved runs are steadier than best-of on this shared machine, bench/README.md)
#   --quick   a fast smoke run: 20000 requests, 100000 keys for the memory comparison
#   -w N      warm-up: before measuring, every server runs each test unmeasured, N requests at -P 16
#             (default 1000000) and -n requests at -P 1, so that dst's JIT has tiered the request path
#             up (a cold dst-server spends its first million or so pipelined requests on it; bench/README.md)
#   --no-warmup  measure from a fresh start
set -euo pipefail
cd "$(dirname "$0")/.."

requests=200000
rounds=1
throughput=yes
warmup=yes
warmup_requests=1000000
# In-memory mode also runs the data-structure tests; durable mode compares the string write path.
structure_tests="lpush rpush lpop rpop sadd hset spop zadd zpopmin lrange_100 mset"
# Memory is compared for 1M string keys and, unless --strings-only, a 1M-field hash and a 1M-member sorted set.
memory_structures="hash zset"
memory_keys=1000000
while [ $# -gt 0 ]; do
  case "$1" in
    -n) requests="$2"; shift 2 ;;
    -r) rounds="$2"; shift 2 ;;
    --quick) requests=20000; memory_keys=100000; warmup_requests=100000; shift ;;
    --strings-only) structure_tests=""; memory_structures=""; shift ;;
    --memory-only) throughput=no; shift ;;
    -w) warmup_requests="$2"; shift 2 ;;
    --no-warmup) warmup=no; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done

for tool in redis-server redis-cli redis-benchmark python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y redis-server redis-tools python3)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/dst-compare-XXXXXX)
pids=()

. bench/common.sh
build_dst_server


# Waits until the server on port $1 answers PING (60 s on a loaded machine), else shows its log.
wait_ready() {
  local port=$1 log=$2
  for _ in $(seq 600); do
    if answers "$port"; then return 0; fi
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
  port=$(free_ports 1); dir="$work/$name"; mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize no "$@" >"$dir.log" 2>&1 &
  pids+=($!); printf -v "${name}_pid" %s $!; printf -v "${name}_port" %s "$port"
  wait_ready "$port" "$dir.log"
}
start_dst() {
  local name=$1; shift
  local port dir
  port=$(free_ports 1); dir="$work/$name"
  dotnet "$dst_dll" --port "$port" --bind 127.0.0.1 --dir "$dir" "$@" >"$dir.log" 2>&1 &
  pids+=($!); printf -v "${name}_pid" %s $!; printf -v "${name}_port" %s "$port"
  wait_ready "$port" "$dir.log"
}
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# rps PORT PIPELINE TEST [REQUESTS]: requests per second of one redis-benchmark test, from its CSV output.
# CSV names can carry a note ("LRANGE_100 (first 100 elements)", "MSET (10 keys)") and some tests
# run a preparing test first ("LPUSH (needed to benchmark LRANGE)"): take the row that starts with the name.
rps() {
  local csv
  csv=$(redis-benchmark -h 127.0.0.1 -p "$1" -t "$3" -n "${4:-$requests}" -c 50 -P "$2" --csv 2>&1) ||
    { echo "redis-benchmark failed against port $1: $csv" >&2; exit 1; }
  echo "$csv" | awk -F'"' -v test="$(echo "$3" | tr a-z A-Z)" '!found && (index($2, test " ") == 1 || $2 == test) { print $4; found = 1 } END { if (!found) exit 1 }' ||
    { echo "no $3 result in redis-benchmark output: $csv" >&2; exit 1; }
}

# measure PORT PID PIPELINE TEST REQUESTS: "RPS CPU" of one run: requests per second and the server's
# CPU time per request in ns (process PID's utime + stime around the run). At -P 16 redis-benchmark's
# one thread is the bottleneck against either server, so requests per second tie within the noise and
# CPU per request is what tells the servers apart (bench/README.md, session 15).
measure() {
  local before after rate
  before=$(cpu_ticks "$2")
  rate=$(rps "$1" "$3" "$4" "$5")
  after=$(cpu_ticks "$2")
  echo "$rate $(ns_per_request $((after - before)) "$5")"
}

# median VALUES...: the middle value (the lower middle for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# run_mode MODE REDIS_ARGS_ARRAY DST_ARGS_ARRAY (arrays passed by name)
run_mode() {
  local mode=$1 tests=$4
  local -n redis_args=$2 dst_args=$3
  start_redis redis "${redis_args[@]}"
  start_dst dst "${dst_args[@]}"
  if [ "$warmup" = yes ]; then
    for test in $tests; do
      for port in "$redis_port" "$dst_port"; do
        rps "$port" 16 "$test" "$warmup_requests" >/dev/null
        rps "$port" 1 "$test" >/dev/null
      done
    done
  fi
  for pipeline in 1 16; do
    for test in $tests; do
      local r d run redis_runs=() dst_runs=() redis_cpu=() dst_cpu=()
      for _ in $(seq "$rounds"); do
        read -ra run <<<"$(measure "$redis_port" "$redis_pid" "$pipeline" "$test" $((requests * pipeline)))"
        redis_runs+=("${run[0]}"); redis_cpu+=("${run[1]}")
        read -ra run <<<"$(measure "$dst_port" "$dst_pid" "$pipeline" "$test" $((requests * pipeline)))"
        dst_runs+=("${run[0]}"); dst_cpu+=("${run[1]}")
      done
      r=$(median "${redis_runs[@]}"); d=$(median "${dst_runs[@]}")
      printf '%-9s %-4s %-10s %14s %14s %10s %12s %12s\n' "$mode" "$pipeline" "$test" "$r" "$d" "$(ratio "$d" "$r")" \
        "$(median "${redis_cpu[@]}")" "$(median "${dst_cpu[@]}")"
    done
  done
  stop "$redis_pid"; stop "$dst_pid"
  rm -rf "$work/redis" "$work/dst"
}
redis_in_memory=(--save "" --appendonly no)
dst_in_memory=(--appendfsync no)
redis_durable=(--save "" --appendonly yes --appendfsync always)
dst_durable=(--appendfsync always)
if [ "$throughput" = yes ]; then
  printf '\n%-9s %-4s %-10s %14s %14s %10s %12s %12s\n' mode -P test "redis rps" "dst rps" "dst/redis" "redis ns/req" "dst ns/req"
  run_mode in-memory redis_in_memory dst_in_memory "set get $structure_tests"
  run_mode durable redis_durable dst_durable "set get"
fi

# memory NAME KIND: loads $memory_keys items of one shape into a fresh redis-server and a fresh
# dst-server (in-memory mode) and compares redis's used_memory_rss with dst's VmRSS, right after the load
# and again 5 s later, once dst's runtime has handed the load's garbage back (IdleHeapTrim).
#   strings: keys key:NNNNNNNN with 16-byte values (SET)
#   hash:    one hash with fields field:NNNNNNNN and 16-byte values (HSET)
#   zset:    one sorted set with members member:NNNNNNNN scored N (ZADD)
memory() {
  local kind=$1
  python3 - "$memory_keys" "$kind" >"$work/load.resp" <<'PY'
import sys
count, kind = int(sys.argv[1]), sys.argv[2]
out = sys.stdout.buffer
def command(*words):
    out.write(b"*%d\r\n" % len(words))
    for word in words:
        out.write(b"$%d\r\n%s\r\n" % (len(word), word))
for i in range(count):
    if kind == "strings":
        command(b"SET", b"key:%08d" % i, b"value:%010d" % i)  # values of exactly 16 bytes
    elif kind == "hash":
        command(b"HSET", b"hash", b"field:%08d" % i, b"value:%010d" % i)
    else:
        command(b"ZADD", b"zset", b"%d" % i, b"member:%08d" % i)
PY
  start_redis redis --save '' --appendonly no
  start_dst dst --appendfsync no
  load "$redis_port" "$kind"
  load "$dst_port" "$kind"
  local redis_rss dst_rss redis_settled dst_settled
  redis_rss=$(redis_rss_now)
  dst_rss=$(dst_rss_now)
  # dst's runtime returns the load's garbage once idle (IdleHeapTrim): read both again 5 s later.
  sleep 5
  redis_settled=$(redis_rss_now)
  dst_settled=$(dst_rss_now)
  printf '%-8s %16s %16s %10s %16s %16s %10s\n' "$kind" "$(mib "$redis_rss")" "$(mib "$dst_rss")" "$(ratio "$dst_rss" "$redis_rss")" \
    "$(mib "$redis_settled")" "$(mib "$dst_settled")" "$(ratio "$dst_settled" "$redis_settled")"
  stop "$redis_pid"
  stop "$dst_pid"
  # Each shape starts empty: a reused data directory would load the previous shape's keys at start-up.
  rm -rf "$work/redis" "$work/dst"
}
load() {
  local port=$1 kind=$2 out
  out=$(redis-cli -h 127.0.0.1 -p "$port" --pipe <"$work/load.resp" 2>&1) || { echo "$out" >&2; exit 1; }
  echo "$out" | grep -q "errors: 0, replies: $memory_keys" || { echo "load into port $port failed: $out" >&2; exit 1; }
  local size
  case "$kind" in
    strings) size=$(redis-cli -h 127.0.0.1 -p "$port" DBSIZE) ;;
    hash) size=$(redis-cli -h 127.0.0.1 -p "$port" HLEN hash) ;;
    zset) size=$(redis-cli -h 127.0.0.1 -p "$port" ZCARD zset) ;;
  esac
  [ "$size" = "$memory_keys" ] || { echo "port $port holds $size $kind items, expected $memory_keys" >&2; exit 1; }
}
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
redis_rss_now() { redis-cli -h 127.0.0.1 -p "$redis_port" INFO memory | tr -d '\r' | awk -F: '$1 == "used_memory_rss" { print $2 }'; }
dst_rss_now() { echo $(( $(awk '$1 == "VmRSS:" { print $2 }' "/proc/$dst_pid/status") * 1024 )); }

echo
echo "memory after loading $memory_keys items into fresh servers (redis used_memory_rss, dst VmRSS), at the load's end and 5 s later:"
printf '%-8s %16s %16s %10s %16s %16s %10s\n' shape redis dst dst/redis "redis +5s" "dst +5s" dst/redis
for kind in strings $memory_structures; do
  memory "$kind"
done
