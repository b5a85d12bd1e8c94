#!/usr/bin/env bash
# Measures the emulator's ceiling with wrk (not a test; run by hand):
#   1. requests/s at 0 ms latency (chat completion POSTs, keep-alive),
#   2. slow requests held concurrently: 1 s time-to-first-token with 5,000 connections.
# Usage: emulator/bench/ceiling.sh   (from the repository root or anywhere)
# Env: PORT (default 18080), DURATION (default 15s), SLOW_CONNECTIONS (default 5000), JAVA_OPTS.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
JAR="$ROOT/emulator/target/friendli-flink-emulator-0.1.0-standalone.jar"
PORT="${PORT:-18080}"
DURATION="${DURATION:-15s}"
SLOW_CONNECTIONS="${SLOW_CONNECTIONS:-5000}"
JAVA_OPTS="${JAVA_OPTS:--Xms512m -Xmx1g}"
SERVER_PID=""

if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is missing; installing the Debian package" >&2
  apt-get install -y wrk >/dev/null || { apt-get update && apt-get install -y wrk >/dev/null; }
fi
if [[ ! -f "$JAR" ]]; then
  echo "building $JAR" >&2
  (cd "$ROOT" && mvn -q -B -pl emulator -am package -DskipTests)
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

stop_server() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT

start_server() {
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --port "$PORT" "$@" >"${TMPDIR:-/tmp}/emulator-bench.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$PORT/_emulator/stats"; then return 0; fi
    sleep 0.1
  done
  echo "emulator did not start; log:" >&2
  cat "${TMPDIR:-/tmp}/emulator-bench.log" >&2
  exit 1
}

URL="http://127.0.0.1:$PORT/serverless/v1/chat/completions"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  nproc: $(nproc)  java: $(java -version 2>&1 | head -1)"
echo "note: wrk and the emulator share these cores"

echo "== 1. zero latency: requests/s (wrk -t2 -c64, $DURATION, after 5 s warm-up)"
start_server
wrk -t2 -c64 -d5s -s "$HERE/chat.lua" "$URL" >/dev/null
wrk -t2 -c64 -d"$DURATION" -s "$HERE/chat.lua" "$URL" | grep -E "completed=|Requests/sec|Latency"
stop_server

echo "== 2. slow requests held: --ttft-ms 1000, $SLOW_CONNECTIONS connections, $DURATION (after a 10 s warm-up run)"
# the warm-up run lets the JIT compile the model and the server before 5,000 cold requests land at once
start_server --ttft-ms 1000
wrk -t2 -c"$SLOW_CONNECTIONS" -d10s --timeout 10s -s "$HERE/chat.lua" "$URL" >/dev/null
wrk -t2 -c"$SLOW_CONNECTIONS" -d"$DURATION" --timeout 10s -s "$HERE/chat.lua" "$URL" | grep -E "completed=|Requests/sec|Latency"
curl -s "http://127.0.0.1:$PORT/_emulator/stats"; echo
stop_server
