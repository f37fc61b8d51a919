#!/usr/bin/env bash
# Issue 5's cluster benchmark, in one run: a 3-node Dst cluster against a 3-node etcd cluster
# (Debian etcd-server, v3 HTTP gateway driven by wrk) and a single redis-server with
# appendfsync always, all on loopback with fsync on; then the failover time of the Dst cluster
# (bench/failover.py). Prints a summary table with the ratios and the issue's targets.
# See bench/README.md for how to read the output.
#
# usage: bench/compare-cluster.sh [-n REQUESTS] [-d SECONDS] [-r ROUNDS] [--kills N] [--quick] [--only PARTS]
#   -n N        requests per redis-benchmark run (default 200000)
#   -d S        seconds per wrk run against etcd (default 10)
#   -r R        run every benchmark R times, alternating servers, and keep each one's best (default 1)
#   --kills N   leader kills for the failover measurement (default 20)
#   --quick     a fast smoke run: 20000 requests, 3 s of wrk, 3 kills
#   --only P    comma-separated parts to run: etcd,redis,dst,failover (default all)
set -euo pipefail
cd "$(dirname "$0")/.."

requests=200000
duration=10
rounds=1
kills=20
parts=etcd,redis,dst,failover
keyspace=100000 # random keys per test, redis-benchmark -r and the wrk script alike
clients=50
while [ $# -gt 0 ]; do
  case "$1" in
    -n) requests="$2"; shift 2 ;;
    -d) duration="$2"; shift 2 ;;
    -r) rounds="$2"; shift 2 ;;
    --kills) kills="$2"; shift 2 ;;
    --quick) requests=20000; duration=3; kills=3; shift ;;
    --only) parts="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done
has() { [[ ",$parts," == *",$1,"* ]]; }

# The peers and tools: install what is missing when root, as scripts/test.sh does.
need=()
if has etcd; then
  command -v etcd >/dev/null || need+=(etcd-server)
  command -v wrk >/dev/null || need+=(wrk)
  command -v curl >/dev/null || need+=(curl)
fi
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
command -v setpriv >/dev/null || need+=(util-linux)
/usr/bin/python3 -c 'import redis' >/dev/null 2>&1 || need+=(python3-redis)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "missing packages: ${need[*]} (apt-get install -y ${need[*]})" >&2; exit 1; }
  echo "installing: ${need[*]}"
  apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; } ||
    { echo "could not install ${need[*]}" >&2; exit 1; }
fi
command -v dotnet >/dev/null || { echo "missing dotnet" >&2; exit 1; }

work=$(mktemp -d /tmp/dst-cluster-XXXXXX)
pids=()

. bench/common.sh # its exit trap kills $pids: failover.py's nodes die with it (parent-death signal)
if has dst || has failover; then
  build_dst_server
fi


# wait_until SECONDS WHAT COMMAND...: polls COMMAND every 0.1 s; fails with WHAT and the logs.
wait_until() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  echo "timed out after $seconds s waiting for $what; logs:" >&2
  for log in "$work"/*.log; do echo "--- $log" >&2; tail -20 "$log" >&2; done
  exit 1
}
# running_and_answers PID PORT LOG: true once PORT answers PING; a process that exited ends the run
# with its log at once instead of after the timeout.
running_and_answers() {
  kill -0 "$1" 2>/dev/null || { echo "process $1 exited; its log ($3):" >&2; tail -20 "$3" >&2; exit 1; }
  answers "$2"
}
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# --- etcd: 3 members on loopback, fsync on (etcd's default), data under $work/etcd-N.
start_etcd_cluster() {
  local ports initial="" i
  read -ra ports <<<"$(free_ports 6)" # client ports 0..2, peer ports 3..5
  for i in 1 2 3; do initial+="${initial:+,}etcd-$i=http://127.0.0.1:${ports[i + 2]}"; done
  etcd_ports=("${ports[@]:0:3}")
  for i in 1 2 3; do
    etcd --name "etcd-$i" --data-dir "$work/etcd-$i" \
      --listen-client-urls "http://127.0.0.1:${ports[i - 1]}" --advertise-client-urls "http://127.0.0.1:${ports[i - 1]}" \
      --listen-peer-urls "http://127.0.0.1:${ports[i + 2]}" --initial-advertise-peer-urls "http://127.0.0.1:${ports[i + 2]}" \
      --initial-cluster "$initial" --initial-cluster-state new --initial-cluster-token dst-bench \
      --logger zap --log-outputs stderr >"$work/etcd-$i.log" 2>&1 &
    pids+=($!)
  done
  wait_until 120 "an etcd leader" etcd_find_leader
}
# Sets etcd_leader_port to the member whose status says it is the leader.
etcd_find_leader() {
  local port status
  for port in "${etcd_ports[@]}"; do
    status=$(curl -s -m 2 -X POST "http://127.0.0.1:$port/v3/maintenance/status" -d '{}' 2>/dev/null) || continue
    local me leader
    me=$(echo "$status" | grep -o '"member_id":"[0-9]*"' | cut -d'"' -f4)
    leader=$(echo "$status" | grep -o '"leader":"[0-9]*"' | cut -d'"' -f4)
    if [ -n "$me" ] && [ "$me" = "$leader" ]; then etcd_leader_port=$port; return 0; fi
  done
  return 1
}
# wrk_rps PORT: PUTs per second through the etcd v3 gateway, $clients connections, $duration s.
wrk_rps() {
  local out
  out=$(wrk -t 2 -c "$clients" -d "${duration}s" -s bench/etcd-put.lua "http://127.0.0.1:$1" -- "$keyspace" 2>&1) ||
    { echo "wrk failed against port $1: $out" >&2; exit 1; }
  if echo "$out" | grep -q 'Non-2xx'; then echo "etcd refused requests: $out" >&2; exit 1; fi
  if echo "$out" | grep -q 'Socket errors'; then echo "warning: wrk against etcd: $(echo "$out" | grep 'Socket errors')" >&2; fi
  echo "$out" | awk '$1 == "Requests/sec:" { print $2; found = 1 } END { if (!found) exit 1 }' ||
    { echo "no Requests/sec in wrk output: $out" >&2; exit 1; }
}

# --- redis-server with appendfsync always.
start_redis() {
  redis_port=$(free_ports 1)
  mkdir -p "$work/redis"
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$work/redis" --daemonize no \
    --save '' --appendonly yes --appendfsync always >"$work/redis.log" 2>&1 &
  pids+=($!)
  wait_until 60 "redis-server to answer PING" running_and_answers $! "$redis_port" "$work/redis.log"
}

# --- Dst: dst_node_args I CLIENT_PORTS CLUSTER_PORTS SECRET DIR sets dst_argv to node I's command
# (ports as space-separated lists, node ids 1..3, every node listed in --peers, fsync always).
dst_node_args() {
  local i=$1 secret=$4 dir=$5 peers="" j
  local -a cports ccports
  read -ra cports <<<"$2"; read -ra ccports <<<"$3"
  for j in 1 2 3; do peers+="${peers:+,}$j@127.0.0.1:${cports[j - 1]}@${ccports[j - 1]}"; done
  dst_argv=(dotnet "$dst_dll" --port "${cports[i - 1]}" --bind 127.0.0.1 --dir "$dir" --node-id "$i"
    --cluster-port "${ccports[i - 1]}" --peers "$peers" --cluster-secret "$secret")
}
new_secret() { od -An -N16 -tx1 /dev/urandom | tr -d ' \n'; }
start_dst_cluster() {
  local ports secret i
  local -a node_pids
  read -ra ports <<<"$(free_ports 6)"
  secret=$(new_secret)
  dst_ports=("${ports[@]:0:3}")
  for i in 1 2 3; do
    dst_node_args "$i" "${ports[*]:0:3}" "${ports[*]:3:3}" "$secret" "$work/dst-$i"
    "${dst_argv[@]}" >"$work/dst-$i.log" 2>&1 &
    pids+=($!); node_pids[i]=$!
  done
  for i in 1 2 3; do
    wait_until 120 "dst node $i to answer PING" running_and_answers "${node_pids[i]}" "${dst_ports[i - 1]}" "$work/dst-$i.log"
  done
  wait_until 120 "a dst leader that acknowledges a write" dst_find_leader
}
# Sets dst_leader_port to the node whose ROLE says master, once it acknowledges a write.
dst_find_leader() {
  local port
  for port in "${dst_ports[@]}"; do
    if [ "$(redis-cli -h 127.0.0.1 -p "$port" ROLE 2>/dev/null | head -1)" = master ] &&
      [ "$(redis-cli -h 127.0.0.1 -p "$port" SET bench:ready 1 2>/dev/null)" = OK ]; then
      dst_leader_port=$port; return 0
    fi
  done
  return 1
}
start_dst_single() {
  dst1_port=$(free_ports 1)
  dotnet "$dst_dll" --port "$dst1_port" --bind 127.0.0.1 --dir "$work/dst-single" >"$work/dst-single.log" 2>&1 &
  pids+=($!)
  wait_until 120 "single dst-server to answer PING" running_and_answers $! "$dst1_port" "$work/dst-single.log"
}

# rps PORT PIPELINE TEST: requests per second of one redis-benchmark test, from its CSV output.
rps() {
  local csv
  csv=$(redis-benchmark -h 127.0.0.1 -p "$1" -t "$3" -n "$requests" -c "$clients" -P "$2" -r "$keyspace" --csv 2>&1) ||
    { echo "redis-benchmark failed against port $1: $csv" >&2; exit 1; }
  echo "$csv" | awk -F'"' -v test="$(echo "$3" | tr a-z A-Z)" '!found && $2 == test { print $4; found = 1 } END { if (!found) exit 1 }' ||
    { echo "no $3 result in redis-benchmark output: $csv" >&2; exit 1; }
}
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b) ? a : b }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# measure NAME COMMAND...: keeps the best of the rounds in ${NAME} (0 until measured).
measure() {
  local name=$1 value; shift
  value=$("$@")
  printf -v "$name" %s "$(best "${!name}" "$value")"
}

etcd_set1=0 redis_set1=0 redis_set16=0 dst3_set1=0 dst3_set16=0 dst3_get1=0 dst3_get16=0
dst1_set1=0 dst1_set16=0 dst1_get1=0 dst1_get16=0
if has etcd; then echo "starting 3 etcd members..."; start_etcd_cluster; fi
if has redis; then echo "starting redis-server (appendfsync always)..."; start_redis; fi
if has dst; then
  echo "starting 3 dst-server nodes and a single dst-server..."
  start_dst_cluster
  start_dst_single
fi

throughput=no
if has etcd || has redis || has dst; then throughput=yes; fi
# Servers one after the other, never at the same time, so they do not compete for the cores.
[ $throughput = yes ] && for round in $(seq "$rounds"); do
  echo "round $round of $rounds..."
  if has etcd; then measure etcd_set1 wrk_rps "$etcd_leader_port"; fi
  for pipeline in 1 16; do
    if has redis; then measure "redis_set$pipeline" rps "$redis_port" "$pipeline" set; fi
    if has dst; then
      # SET first: it fills the keyspace the GETs read.
      measure "dst3_set$pipeline" rps "$dst_leader_port" "$pipeline" set
      measure "dst1_set$pipeline" rps "$dst1_port" "$pipeline" set
      measure "dst3_get$pipeline" rps "$dst_leader_port" "$pipeline" get
      measure "dst1_get$pipeline" rps "$dst1_port" "$pipeline" get
    fi
  done
done

# Everything stops before the failover run: it starts its own cluster and wants the cores.
for pid in "${pids[@]}"; do stop "$pid"; done
pids=()

failover_line=""
if has failover; then
  echo "failover: $kills leader kills (SIGKILL), 3 fresh dst-server nodes..."
  read -ra fports <<<"$(free_ports 6)"
  secret=$(new_secret)
  : >"$work/failover.spec"
  for i in 1 2 3; do
    dst_node_args "$i" "${fports[*]:0:3}" "${fports[*]:3:3}" "$secret" "$work/failover-$i"
    printf '%s %s %q' "$i" "${fports[i - 1]}" "$work/failover-$i.log" >>"$work/failover.spec"
    printf ' %q' "${dst_argv[@]}" >>"$work/failover.spec"
    echo >>"$work/failover.spec"
  done
  # Not in a pipeline, so $! is the tool itself (the exit trap kills it, its nodes die with it).
  /usr/bin/python3 bench/failover.py --spec "$work/failover.spec" --kills "$kills" > >(tee "$work/failover.out") &
  pids+=($!)
  wait $! || { echo "failover measurement failed" >&2; exit 1; }
  failover_line=$(grep '^failover seconds' "$work/failover.out")
fi

# target RATIO MIN: "yes"/"no" against a lower bound, "-" when there is no ratio.
meets() { awk -v r="$1" -v m="$2" 'BEGIN { if (r == "n/a") print "-"; else print (r + 0 >= m + 0) ? "yes" : "no" }'; }
shown() { if [ "$1" = 0 ]; then echo -; else echo "$1"; fi; } # a part not run shows "-"
row() { # row TEST -P DST OTHER_NAME OTHER TARGET_MIN (empty: report only)
  local r; r=$(ratio "$3" "$5")
  printf '%-5s %-3s %14s  %-14s %14s %7s  %-8s %s\n' "$1" "$2" "$(shown "$3")" "$4" "$(shown "$5")" "$r" "${6:+>= $6}" \
    "$([ -n "$6" ] && meets "$r" "$6" || echo -)"
}
if [ $throughput = yes ]; then
  echo
  printf '%-5s %-3s %14s  %-14s %14s %7s  %-8s %s\n' test -P "dst 3-node" "vs" "rps" ratio target met
  row set 1 "$dst3_set1" "etcd 3-node" "$etcd_set1" 5
  row set 1 "$dst3_set1" "redis always" "$redis_set1" 0.5
  row set 16 "$dst3_set16" "redis always" "$redis_set16" ""
  row set 1 "$dst3_set1" "dst 1-node" "$dst1_set1" ""
  row set 16 "$dst3_set16" "dst 1-node" "$dst1_set16" ""
  row get 1 "$dst3_get1" "dst 1-node" "$dst1_get1" 0.8
  row get 16 "$dst3_get16" "dst 1-node" "$dst1_get16" 0.8
fi
if [ -n "$failover_line" ]; then
  read -r _ _ _ p50 _ p90 _ max _ n <<<"$failover_line"
  echo
  printf 'failover (leader SIGKILL to first acknowledged write, %s kills): p50 %s s  p90 %s s  max %s s  target p50 <= 1 s: %s\n' \
    "$n" "$p50" "$p90" "$max" "$(awk -v p="$p50" 'BEGIN { print (p + 0 <= 1) ? "yes" : "no" }')"
fi
