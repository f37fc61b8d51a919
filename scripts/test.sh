#!/usr/bin/env bash
# Runs every test of the repository on a fresh Debian machine that has only the .NET SDK:
# installs the real peers the tests talk to, checks formatting, builds, runs every test project,
# and ends by printing one line "N passed, N failed" summed over all test projects.
set -uo pipefail
cd "$(dirname "$0")/.."

# Real clients and peers the integration tests use (redis-cli, redis-server, Debian's python3 with
# python3-redis, and Node.js with npm for ioredis).
need=()
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
/usr/bin/python3 -c 'import redis' >/dev/null 2>&1 || need+=(python3-redis)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing: ${need[*]}"
    (apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
      { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; }) ||
      echo "warning: could not install ${need[*]}; tests that need them will fail"
  else
    echo "warning: not root, cannot install ${need[*]}; tests that need them will fail"
  fi
fi

failed_steps=0
# ioredis, the Node.js client, at the version tests/clients/ioredis/package-lock.json pins.
echo "== npm ci (tests/clients/ioredis)"
if ! npm ci --prefix tests/clients/ioredis --no-audit --no-fund >/dev/null 2>&1; then
  echo "warning: npm ci failed; the ioredis tests will fail"
fi
echo "== dotnet format --verify-no-changes"
if ! dotnet format Dst.slnx --verify-no-changes; then
  echo "formatting differs: run 'dotnet format Dst.slnx'"
  failed_steps=$((failed_steps + 1))
fi

echo "== dotnet build"
if ! dotnet build Dst.slnx -c Release -nologo -v quiet; then
  echo "0 passed, 1 failed"
  exit 1
fi

echo "== dotnet test"
log=$(mktemp)
dotnet test Dst.slnx -c Release --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test project prints one summary line: "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s += $2} END {print s + 0}')
projects=$(grep -Ec '(Passed|Failed)! +- ' "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # a test host crashed or a project failed to run: never report green
fi
failed=$((failed + failed_steps))
echo "($projects test projects)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
