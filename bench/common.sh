# Shell helpers the bench scripts share; sourced, never run. Expects $work (a temporary directory)
# and $pids (the processes to kill on exit), and arms the exit trap that removes both.

. bench/procfs.sh

dst_dll=src/Dst.Server/bin/Release/net10.0/dst-server.dll

# build_dst_server: builds dst-server in Release, printing the build log only if it fails.
build_dst_server() {
  echo "building dst-server (Release)..."
  dotnet build src/Dst.Server/Dst.Server.csproj -c Release -nologo -v quiet >"$work/build.log" 2>&1 ||
    { cat "$work/build.log"; exit 1; }
}

# free_ports N: N distinct free loopback ports (all bound at once, so no duplicates).
free_ports() {
  /usr/bin/python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# kill_and_clean: the exit trap: kills every process in $pids and removes $work.
kill_and_clean() {
  exec 2>/dev/null # no "Killed" job notices at exit
  for pid in "${pids[@]}"; do kill -9 "$pid" || true; done
  wait || true
  rm -rf "$work"
}
trap kill_and_clean EXIT INT TERM

# answers PORT: true when the server on loopback PORT answers PING.
answers() { [ "$(redis-cli -h 127.0.0.1 -p "$1" PING 2>/dev/null)" = PONG ]; }
