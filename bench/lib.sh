# Shared helpers of the benchmark scripts: sourced, not run. Everything listens on 127.0.0.1 only, and
# everything a script starts is stopped by its EXIT trap (bench_cleanup).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
WORK="${BENCH_WORK:-${TMPDIR:-/tmp}/friendli-bench}"
NGINX_PORT="${NGINX_PORT:-18090}"
EMULATOR_PORT="${EMULATOR_PORT:-18091}"
EMULATOR_JAR="$ROOT/emulator/target/friendli-flink-emulator-0.1.0-standalone.jar"
mkdir -p "$WORK"
BENCH_PIDS=()

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

# Installs the Debian packages the benchmarks need, once: nginx with the echo module, and wrk.
bench_install() {
  local missing=()
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v nginx >/dev/null 2>&1 || missing+=(nginx)
  ls /usr/lib/nginx/modules/ngx_http_echo_module.so >/dev/null 2>&1 || missing+=(libnginx-mod-http-echo)
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # The package's own service must not hold ports or cores while we measure.
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
    systemctl stop nginx || true
  fi
}

# Builds the job (and the emulator's standalone jar) when missing or when FORCE_BUILD=1.
bench_build() {
  if [[ "${FORCE_BUILD:-0}" == 1 || ! -f "$ROOT/job/target/run-classpath-runtime.txt" || ! -f "$EMULATOR_JAR" \
        || ! -f "$ROOT/bench/target/peer-classpath.txt" ]]; then
    log "building (tests skipped)"
    (cd "$ROOT" && mvn -q -B -DskipTests package -pl job,emulator,bench -am)
  fi
}

job_classpath() {
  echo "$ROOT/job/target/friendli-flink-job-0.1.0.jar:$(cat "$ROOT/job/target/run-classpath-compile.txt"):$(cat "$ROOT/job/target/run-classpath-runtime.txt")"
}

machine_info() {
  echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "- nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "- memory (free -g): $(free -g | awk '/^Mem:/ {print "total " $2 " GiB, used " $3 ", free " $4 ", available " $7}')"
  echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- java: $(java -version 2>&1 | head -1); nginx: $(nginx -v 2>&1 | sed 's/.*\///'); wrk: $(dpkg-query -W -f='${Version}' wrk 2>/dev/null)"
  echo "- commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (with local changes)')"
}

# Starts nginx in the foreground (a child of this shell) answering every chat completion with the fixed
# body after DELAY seconds (0, 0.2, 1). Waits until it answers.
start_nginx() {
  local delay="$1" dir="$WORK/nginx"
  mkdir -p "$dir/logs" "$dir/tmp"
  local sleep_line=""
  if [[ "$delay" != 0 ]]; then sleep_line="echo_sleep $delay;"; fi
  local body
  body="$(tr -d '\n' <"$BENCH_DIR/nginx/chat-completion.json")"
  cat >"$dir/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_echo_module.so;
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 65536;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 20000; multi_accept on; }
http {
  access_log off;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  keepalive_requests 100000000;
  keepalive_timeout 600s;
  client_body_buffer_size 64k;
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=8192 reuseport;
    location = /nginx_status { stub_status; }
    location / {
      default_type application/json;
      echo_read_request_body;
      $sleep_line
      echo '$body';
    }
  }
}
CONF
  ulimit -n 65536 2>/dev/null || true
  nginx -p "$dir" -c "$dir/nginx.conf" >"$dir/logs/stdout.log" 2>&1 &
  BENCH_PIDS+=($!)
  NGINX_PID=$!
  wait_http "http://127.0.0.1:$NGINX_PORT/v1/chat/completions" "nginx" -d '{}'
}

stop_nginx() { stop_pid "${NGINX_PID:-}"; NGINX_PID=""; }

# Starts the standalone emulator with the given options; EMULATOR_HEAP sets its heap.
start_emulator() {
  java -Xms256m -Xmx"${EMULATOR_HEAP:-1g}" -jar "$EMULATOR_JAR" --host 127.0.0.1 --port "$EMULATOR_PORT" "$@" \
    >"$WORK/emulator.log" 2>&1 &
  BENCH_PIDS+=($!)
  EMULATOR_PID=$!
  wait_http "http://127.0.0.1:$EMULATOR_PORT/_emulator/stats" "emulator"
}

stop_emulator() { stop_pid "${EMULATOR_PID:-}"; EMULATOR_PID=""; }

emulator_stats() { curl -s "http://127.0.0.1:$EMULATOR_PORT/_emulator/stats"; }

wait_http() {
  local url="$1" name="$2"; shift 2
  for _ in $(seq 1 200); do
    if curl -s -o /dev/null "$@" "$url"; then return 0; fi
    sleep 0.1
  done
  log "$name did not start"; return 1
}

stop_pid() {
  local pid="$1"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do stop_pid "$pid"; done
}

# Writes N request lines (chat completions, distinct custom_ids and prompts) to FILE, once per N and FILE:
# make_requests N FILE [TOKENS]. Each asks for max_tokens 16, or with TOKENS exactly TOKENS (min_tokens too).
make_requests() {
  local n="$1" file="$2" tokens="${3:-}"
  local length='"max_tokens":16'
  if [[ -n "$tokens" ]]; then length="\"max_tokens\":$tokens,\"min_tokens\":$tokens"; fi
  if [[ -f "$file" && "$(wc -l <"$file")" == "$n" ]]; then return 0; fi
  log "writing $n request lines to $file"
  awk -v n="$n" -v length_fields="$length" 'BEGIN {
    split("the sea,a mountain,the city at night,a small garden,the first snow,an old library,a train station,the desert wind", topics, ",");
    for (i = 1; i <= n; i++) {
      t = topics[(i % 8) + 1];
      printf "{\"custom_id\":\"req-%07d\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"bench-model\",\"messages\":[{\"role\":\"user\",\"content\":\"Write one short sentence about %s, variant %d.\"}],%s}}\n", i, t, i, length_fields
    }
  }' >"$file.tmp"
  mv "$file.tmp" "$file"
}

# Runs the job in a fresh JVM with a fixed heap: run_job OUT_DIR HEAP [key=value ...]. Keeps the log in
# OUT_DIR.log, the GC log in OUT_DIR.gc.log, "wall user sys max_rss_kib" in OUT_DIR.time; JFR=1 records OUT_DIR.jfr.
# BENCH_CONFIG names the configuration file (default bench/conf/bench.yaml; the figures of issue 11 run the
# shipped conf/dedicated.yaml and conf/serverless.yaml).
run_job() {
  local out="$1" heap="$2"; shift 2
  rm -rf "$out"; mkdir -p "$out"
  local opts=(-Xms"$heap" -Xmx"$heap" -XX:+UseParallelGC "-Xlog:gc:file=$out.gc.log")
  if [[ -n "${JFR:-}" ]]; then opts+=("-XX:StartFlightRecording=filename=$out.jfr,settings=profile"); fi
  rm -f "$out.live"
  # shellcheck disable=SC2086 # JOB_JAVA_OPTS and JOB_SETTINGS are word lists
  /usr/bin/time -f "%e %U %S %M" -o "$out.time" java "${opts[@]}" ${JOB_JAVA_OPTS:-} -cp "$(job_classpath)" \
    io.friendliflink.job.BulkInferenceJob --config "${BENCH_CONFIG:-$BENCH_DIR/conf/bench.yaml}" "output.path=$out" "$@" ${JOB_SETTINGS:-} \
    >"$out.log" 2>&1 &
  local timer=$!
  BENCH_PIDS+=($timer)
  if [[ -n "${LIVE_HEAP:-}" ]]; then sample_live_heap "$timer" "$out.live"; fi
  wait "$timer" || { log "job failed; tail of $out.log:"; tail -20 "$out.log" >&2; return 1; }
}

# LIVE_HEAP=SECONDS: every SECONDS, the heap still reachable (a full collection, by jcmd's class histogram)
# into FILE as "epoch_seconds live_mib", until the JVM under /usr/bin/time (TIMER_PID) ends. The "after"
# of a young collection also counts dead objects already promoted; this does not. The full collections
# cost the run some time and CPU, so runs with LIVE_HEAP are for memory, not for speed.
sample_live_heap() {
  local timer="$1" file="$2" java_pid=""
  for _ in $(seq 1 50); do java_pid=$(pgrep -P "$timer" java || true); [[ -n "$java_pid" ]] && break; sleep 0.1; done
  while kill -0 "$timer" 2>/dev/null; do
    sleep "$LIVE_HEAP"
    jcmd "$java_pid" GC.class_histogram 2>/dev/null \
      | awk -v t="$(date +%s.%N)" '/^Total/ {printf "%s %.0f\n", t, $3 / 1048576}' >>"$file" || true
  done
}

# "first last max" live heap in MiB of a run_job with LIVE_HEAP, or "- - -" without.
live_heap_mib() {
  if [[ -s "$1.live" ]]; then
    awk 'NR == 1 {f = $2} {l = $2; if ($2 > m) m = $2} END {print f, l, m}' "$1.live"
  else
    echo "- - -"
  fi
}

# "wall user sys" seconds of a finished run_job/run_peer (the whole JVM, start-up included).
cpu_seconds() { awk '{printf "%.1f", $2 + $3}' "$1.time"; }
wall_seconds() { awk '{printf "%.1f", $1}' "$1.time"; }
# The largest resident set of a finished run_job, in MiB: heap plus what lives outside it (RocksDB, Netty).
max_rss_mib() { awk '{printf "%.0f", $4 / 1024}' "$1.time"; }

# Peak heap in use (the largest "before" of any GC), in MiB, from a -Xlog:gc file ("... 123M->45M(512M) ...").
peak_heap_mib() {
  grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$1" | sed -E 's/^([0-9]+)M.*/\1/' | sort -n | tail -1
}

# The heap left after the young collections of a -Xlog:gc file, in MiB, as "first last max": what the run
# keeps alive, so its growth over a run is the memory that grows with the input.
heap_after_young_gc_mib() {
  grep 'Pause Young' "$1" | grep -oE '[0-9]+M->[0-9]+M\(' | sed -E 's/^[0-9]+M->([0-9]+)M\($/\1/' \
    | awk 'NR == 1 {f = $1} {l = $1; if ($1 > m) m = $1} END {print f + 0, l + 0, m + 0}'
}

summary_field() { # summary_field OUT_DIR jq-like dotted path, read with python's json
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1]+"/_SUMMARY.json"))
for k in sys.argv[2].split("."): d=d[k]
print(d)' "$1" "$2"
}

# Bytes of the committed (visible) Parquet files under DIR.
parquet_bytes() { find "$1" -type f -name 'part-*.parquet' -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

# flink-model-openai 2.2.0's POM names a parent Maven Central lacks, so it cannot be a declared dependency;
# the jar itself is self-contained. Fetched once (the ordinary Maven client, from Central) into the local
# repository and copied beside the bench module.
peer_jar() {
  local jar="$ROOT/bench/target/peer-lib/flink-model-openai-2.2.0.jar"
  if [[ ! -f "$jar" ]]; then
    (cd "$WORK" && mvn -q -B dependency:copy -Dartifact=org.apache.flink:flink-model-openai:2.2.0 \
      -DoutputDirectory="$ROOT/bench/target/peer-lib" >/dev/null 2>&1) || {
      # Maven refuses it when it cannot resolve the missing parent POM: the jar alone, from Central.
      mkdir -p "$ROOT/bench/target/peer-lib"
      curl -sSf -o "$jar" https://repo.maven.apache.org/maven2/org/apache/flink/flink-model-openai/2.2.0/flink-model-openai-2.2.0.jar
    }
  fi
  echo "$jar"
}

# Runs the peer (Flink's ML_PREDICT with the OpenAI provider): run_peer OUT_PREFIX HEAP INPUT ENDPOINT_URL [--opt v]
run_peer() {
  local out="$1" heap="$2" input="$3" endpoint="$4"; shift 4
  local cp="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/peer-classpath.txt"):$(peer_jar)"
  local opts=(-Xms"$heap" -Xmx"$heap" -XX:+UseParallelGC "-Xlog:gc:file=$out.gc.log")
  if [[ -n "${JFR:-}" ]]; then opts+=("-XX:StartFlightRecording=filename=$out.jfr,settings=profile"); fi
  /usr/bin/time -f "%e %U %S" -o "$out.time" java "${opts[@]}" -cp "$cp" io.friendliflink.bench.PeerMlPredict \
    --input "$input" --endpoint "$endpoint" --result "$out.result" "$@" >"$out.log" 2>&1 || {
      log "peer failed; tail of $out.log:"; tail -20 "$out.log" >&2; return 1; }
  cat "$out.result"
}

# Samples a server's counters every 0.25 s into FILE, as "epoch_seconds value..." lines, until stopped:
# start_sampler FILE nginx|emulator. nginx gives "requests active_connections"; the emulator
# "answered_200 answered_429 tokens". The emulator is polled by one Python process that stamps each sample
# as its answer arrives, so that samples stay 0.25 s apart and their times exact on a loaded machine (a curl
# and a Python start per sample took 0.7 s there).
start_sampler() {
  local file="$1" kind="$2"
  : >"$file"
  if [[ "$kind" == nginx ]]; then
    (
      polls=0
      while true; do
        polls=$((polls + 1))
        # the sampler's own requests are left out of the count
        curl -s "http://127.0.0.1:$NGINX_PORT/nginx_status" | awk -v t="$(date +%s.%N)" -v polls="$polls" \
          '/^Active/ {a=$3 - 1} /^ *[0-9]+ +[0-9]+ +[0-9]+/ {r=$3 - polls} END {print t, r, a}'
        sleep 0.25
      done
    ) >>"$file" 2>/dev/null &
  else
    python3 -u - "$EMULATOR_PORT" >>"$file" 2>/dev/null <<'PY' &
import json, sys, time, urllib.request
url = "http://127.0.0.1:%s/_emulator/stats" % sys.argv[1]
while True:
    try:
        d = json.load(urllib.request.urlopen(url, timeout=5))
        s = d["responsesByStatus"]
        own = d["requestsByPath"].get("/_emulator/stats", 1) - 1
        print(time.time(), s.get("200", 0) - own, s.get("429", 0), d["promptTokens"] + d["completionTokens"])
    except Exception:
        pass
    time.sleep(0.25)
PY
  fi
  BENCH_PIDS+=($!)
  SAMPLER_PID=$!
}

# Waits for one more sample, so that the last requests of a run are counted.
stop_sampler() { sleep 0.6; stop_pid "${SAMPLER_PID:-}"; SAMPLER_PID=""; }

# The server-side rate of a run from its samples: requests / (last change - first change), so neither
# side's JVM start-up counts. Prints "requests seconds rate max_of_column_2". COLUMN (default 1) picks the
# counter. SKIP_SECONDS leaves out the first seconds of the run (to measure after a controller settles).
sampled_rate() {
  python3 - "$1" "${2:-1}" "${SKIP_SECONDS:-0}" <<'PY'
import sys
col = int(sys.argv[2]); skip = float(sys.argv[3])
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) > col]
rows = [[r[0], r[col]] + r[1:] for r in rows]
if skip > 0:
    moved = next((r for r in rows if r[1] > rows[0][1]), None)
    if moved is not None:
        rows = [r for r in rows if r[0] >= moved[0] + skip]
base = rows[0][1]
first = next((r for r in rows if r[1] > base + 5), None)
last = next((r for r in rows if r[1] == rows[-1][1]), None)
if first is None:
    print("0 0 0 0"); sys.exit()
# the sample before the first change bounds the start from below; the last change, the end from above
i = rows.index(first); start = rows[max(i - 1, 0)][0]
n = last[1] - base; secs = max(last[0] - start, 1e-3)
active = max((r[3] for r in rows if len(r) > 3), default=0)
print(f"{n:.0f} {secs:.2f} {n / secs:.0f} {active:.0f}")
PY
}
