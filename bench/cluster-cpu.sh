#!/usr/bin/env bash
# CPU per request of a 3-node Dst cluster (and a single node for reference), which is what decides
# throughput when every process shares the same two cores: requests per second swing 20% from run
# to run on the shared machine, CPU time per request much less. For each test it runs one
# `redis-benchmark -n N` against the leader and reads utime + stime of every dst-server process
# from /proc/<pid>/stat before and after; with --perf it also counts the leader's and one
# follower's syscalls and context switches per request (perf stat -p, all threads).
#
# usage: bench/cluster-cpu.sh [-n REQUESTS] [--tests set:1,get:1,...] [--perf] [--no-single] [-- SERVER-ARGS...]
#   -n N          requests per redis-benchmark run (default 100000)
#   --tests T     comma-separated test:pipeline pairs (default set:1,get:1,set:16,get:16)
#   --perf        count syscalls and context switches per request on the leader and a follower
#   --no-single   skip the single-node reference
#   SERVER-ARGS   extra dst-server options for every node (e.g. --read-consistency lease)
set -euo pipefail
cd "$(dirname "$0")/.."

requests=100000
tests=set:1,get:1,set:16,get:16
use_perf=no
single=yes
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    -n) requests="$2"; shift 2 ;;
    --tests) tests="$2"; shift 2 ;;
    --perf) use_perf=yes; shift ;;
    --no-single) single=no; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/dst-cpu-XXXXXX)
pids=()

. bench/common.sh
build_dst_server

wait_for() { # wait_for SECONDS COMMAND...
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || { echo "timed out: $*" >&2; tail -20 "$work"/*.log >&2; exit 1; }
    sleep 0.1
  done
}

read -ra ports <<<"$(free_ports 6)"
secret=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
peers=""
for j in 1 2 3; do peers+="${peers:+,}$j@127.0.0.1:${ports[j - 1]}@${ports[j + 2]}"; done
declare -A node_pid
for i in 1 2 3; do
  dotnet "$dst_dll" --port "${ports[i - 1]}" --bind 127.0.0.1 --dir "$work/dst-$i" --node-id "$i" \
    --cluster-port "${ports[i + 2]}" --peers "$peers" --cluster-secret "$secret" "${extra[@]}" >"$work/dst-$i.log" 2>&1 &
  pids+=($!); node_pid[$i]=$!
done
for i in 1 2 3; do wait_for 120 answers "${ports[i - 1]}"; done
leader=""
find_leader() {
  local i
  for i in 1 2 3; do
    if [ "$(redis-cli -h 127.0.0.1 -p "${ports[i - 1]}" ROLE 2>/dev/null | head -1)" = master ] &&
      [ "$(redis-cli -h 127.0.0.1 -p "${ports[i - 1]}" SET cpu:ready 1 2>/dev/null)" = OK ]; then
      leader=$i; return 0
    fi
  done
  return 1
}
wait_for 120 find_leader
follower=$(( leader % 3 + 1 ))
cluster_pids="${node_pid[$leader]} ${node_pid[$follower]} ${node_pid[$(( follower % 3 + 1 ))]}"
single_port=""
if [ $single = yes ]; then
  single_port=$(free_ports 1)
  dotnet "$dst_dll" --port "$single_port" --bind 127.0.0.1 --dir "$work/single" "${extra[@]}" >"$work/single.log" 2>&1 &
  pids+=($!); single_pid=$!
  wait_for 120 answers "$single_port"
fi

# run LABEL PORT TEST PIPELINE PIDS...: one redis-benchmark run; prints rps and CPU µs per request per pid.
run() {
  local label=$1 port=$2 test=$3 pipeline=$4; shift 4
  local -a before after
  local pid perf_out="" perf_pids=()
  for pid in "$@"; do before+=("$(cpu_ticks "$pid")"); done
  if [ $use_perf = yes ] && [ "$label" = 3-node ]; then
    perf_pids=("$1" "$2")
    local events='raw_syscalls:sys_enter,context-switches,syscalls:sys_enter_*'
    perf stat -e "$events" -x, -o "$work/perf-leader" -p "$1" &
    local perf_leader=$!
    perf stat -e "$events" -x, -o "$work/perf-follower" -p "$2" &
    local perf_follower=$!
    sleep 0.5
  fi
  local csv
  csv=$(redis-benchmark -h 127.0.0.1 -p "$port" -t "$test" -n "$requests" -c 50 -P "$pipeline" -r 100000 --csv 2>&1)
  for pid in "$@"; do after+=("$(cpu_ticks "$pid")"); done
  if [ ${#perf_pids[@]} -gt 0 ]; then
    kill -INT "$perf_leader" "$perf_follower"; wait "$perf_leader" "$perf_follower" || true
  fi
  local rps; rps=$(echo "$csv" | awk -F'"' -v t="${test^^}" '$2 == t { print $4; exit }')
  local tck; tck=$(getconf CLK_TCK)
  local line; line=$(printf '%-7s %-4s -P %-3s %10s rps' "$label" "$test" "$pipeline" "$rps")
  local total=0 i=0
  for pid in "$@"; do
    local d=$(( after[i] - before[i] ))
    total=$(( total + d ))
    line+=$(awk -v d="$d" -v n="$requests" -v t="$tck" 'BEGIN { printf "  %6.1f", d * 1e6 / t / n }')
    i=$((i + 1))
  done
  line+=$(awk -v d="$total" -v n="$requests" -v t="$tck" 'BEGIN { printf "  | %6.1f us/req", d * 1e6 / t / n }')
  echo "$line"
  if [ ${#perf_pids[@]} -gt 0 ]; then
    for who in leader follower; do
      awk -F, -v n="$requests" -v who="$who" '$1 ~ /^[0-9]+$/ && $1 / n >= 0.01 { sub(/^syscalls:sys_enter_/, "", $3); sub(/raw_syscalls:sys_enter/, "syscalls", $3); printf "%s%s %.2f", (c++ ? ", " : "        " who " per request: "), $3, $1 / n } END { print "" }' "$work/perf-$who"
    done
  fi
}

echo "CPU time in us per request: 3-node columns are leader, follower, follower; then the sum"
for spec in ${tests//,/ }; do
  test=${spec%%:*} pipeline=${spec##*:}
  # shellcheck disable=SC2086
  run 3-node "${ports[leader - 1]}" "$test" "$pipeline" $cluster_pids
  if [ $single = yes ]; then run 1-node "$single_port" "$test" "$pipeline" "$single_pid"; fi
done
