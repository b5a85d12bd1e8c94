#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md and prints a Markdown report (also kept in $WORK/report-*.md):
#   bench/run-all.sh            all figures (~12 min)
#   bench/run-all.sh 1 4        only figures 1 and 4
# Not part of the build or CI. Needs root for the first apt-get install of nginx, its echo module and wrk.
# Everything runs on 127.0.0.1 and is stopped at the end (or on Ctrl-C).
# Sizes (env): FIG1_LINES=200000 PEER_LINES=40000 FIG2_LINES=100000 FIG2_IN_FLIGHT=2000 FIG3_RPM=6000
#   FIG3_TPM=120000 FIG3_SECONDS=90 FIG4_LINES=1000000 WRK_SECONDS=10. JFR=1 records a JFR file per run.
# JOB_SETTINGS="run.state-backend=rocksdb ..." adds configuration keys to every run of the job; LIVE_HEAP=5
# samples the reachable heap every 5 s (full collections: for figure 4's memory, not for speed).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap bench_cleanup EXIT
FIGURES=("$@")
((${#FIGURES[@]})) || FIGURES=(1 2 3 4 5)
REPORT="$WORK/report-$(date +%Y%m%d-%H%M%S).md"

out() { echo "$*" | tee -a "$REPORT"; }
want() { [[ " ${FIGURES[*]} " == *" $1 "* ]]; }
heap_of() { echo "$(peak_heap_mib "$1.gc.log") MiB"; }

bench_install
bench_build
out "## Run of $(date -u +%Y-%m-%dT%H:%M:%SZ)"
out ""
out "Command: \`${JOB_SETTINGS:+JOB_SETTINGS=\"$JOB_SETTINGS\" }bench/run-all.sh ${FIGURES[*]}\`"
out ""
machine_info | tee -a "$REPORT"
out ""

ENDPOINT="http://127.0.0.1:$NGINX_PORT/v1"

if want 1; then
  lines="${FIG1_LINES:-200000}" peer_lines="${PEER_LINES:-40000}"
  make_requests "$lines" "$WORK/req-$lines.jsonl"
  head -n "$peer_lines" "$WORK/req-$lines.jsonl" >"$WORK/req-peer-$peer_lines.jsonl"
  start_nginx 0
  log "figure 1: wrk ceiling"
  wrk -t1 -c256 -d3s -s "$BENCH_DIR/nginx/post.lua" "$ENDPOINT/chat/completions" >/dev/null
  wrk_rate=$(wrk -t1 -c256 -d"${WRK_SECONDS:-10}s" -s "$BENCH_DIR/nginx/post.lua" "$ENDPOINT/chat/completions" \
    | awk '/Requests\/sec/ {printf "%.0f", $2}')
  log "figure 1: the job, $lines lines"
  start_sampler "$WORK/fig1-job.samples" nginx
  run_job "$WORK/fig1-job" 1g "input.path=$WORK/req-$lines.jsonl" "endpoint.base-url=$ENDPOINT"
  stop_sampler
  read -r j_n j_s j_rate _ < <(sampled_rate "$WORK/fig1-job.samples")
  read -r _ _ j_steady _ < <(SKIP_SECONDS=5 sampled_rate "$WORK/fig1-job.samples")
  log "figure 1: the peer, $peer_lines lines"
  start_sampler "$WORK/fig1-peer.samples" nginx
  run_peer "$WORK/fig1-peer" 1g "$WORK/req-peer-$peer_lines.jsonl" "$ENDPOINT/chat/completions" >/dev/null
  stop_sampler
  read -r p_n p_s p_rate _ < <(sampled_rate "$WORK/fig1-peer.samples")
  read -r _ _ p_steady _ < <(SKIP_SECONDS=5 sampled_rate "$WORK/fig1-peer.samples")
  stop_nginx
  out "### 1. Throughput at 0 ms (nginx), file in, Parquet out (peer: blackhole)"
  out ""
  out "| side | requests | requests/s (server-side) | after the first 5 s | end to end incl. JVM start | CPU s per 1,000 requests | peak heap |"
  out "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  out "| wrk (-t1 -c256) | | $wrk_rate | | | | |"
  out "| the job (parallelism 2, capacity 1024) | $j_n | $j_rate | $j_steady | $(summary_field "$WORK/fig1-job" throughput.requests_per_second) req/s in $(wall_seconds "$WORK/fig1-job") s | $(echo "scale=3; $(cpu_seconds "$WORK/fig1-job") * 1000 / $j_n" | bc) | $(heap_of "$WORK/fig1-job") |"
  out "| the peer (ML_PREDICT, parallelism 2, 1024 ops) | $p_n | $p_rate | $p_steady | $(awk -F'requests_per_second=' '{print $2}' "$WORK/fig1-peer.result") req/s in $(wall_seconds "$WORK/fig1-peer") s | $(echo "scale=3; $(cpu_seconds "$WORK/fig1-peer") * 1000 / $p_n" | bc) | $(heap_of "$WORK/fig1-peer") |"
  out ""
  out "Job / peer: **$(echo "scale=1; $j_rate / $p_rate" | bc)x** (after the first 5 s: $(echo "scale=1; $j_steady / $p_steady" | bc)x); job / wrk: **$(echo "scale=3; $j_rate / $wrk_rate" | bc)**."
  out ""
fi

if want 2; then
  lines="${FIG2_LINES:-100000}" inflight="${FIG2_IN_FLIGHT:-2000}"
  make_requests "$lines" "$WORK/req-$lines.jsonl"
  head -n 100 "$WORK/req-$lines.jsonl" >"$WORK/req-peer-100.jsonl"
  per_subtask=$((inflight / 2))
  start_nginx 1
  log "figure 2: the job, $lines lines, $inflight in flight"
  start_sampler "$WORK/fig2-job.samples" nginx
  run_job "$WORK/fig2-job" 512m "input.path=$WORK/req-$lines.jsonl" "endpoint.base-url=$ENDPOINT" \
    "calls.capacity=$per_subtask" "endpoint.max-connections=$per_subtask"
  stop_sampler
  read -r j_n j_s j_rate j_active < <(sampled_rate "$WORK/fig2-job.samples")
  read -r _ _ j_steady _ < <(SKIP_SECONDS=5 sampled_rate "$WORK/fig2-job.samples")
  log "figure 2: the peer, 100 lines"
  start_sampler "$WORK/fig2-peer.samples" nginx
  run_peer "$WORK/fig2-peer" 512m "$WORK/req-peer-100.jsonl" "$ENDPOINT/chat/completions" --concurrency "$per_subtask" >/dev/null
  stop_sampler
  read -r p_n p_s p_rate p_active < <(sampled_rate "$WORK/fig2-peer.samples")
  stop_nginx
  out "### 2. Latency-bound: nginx answering after 1 s, -Xmx512m"
  out ""
  out "| side | requests | requests/s (server-side) | after the first 5 s | most connections open | peak heap (limit 512 MiB) | CPU s per 1,000 requests |"
  out "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  out "| the job ($inflight in flight) | $j_n | $j_rate | $j_steady | $j_active | $(heap_of "$WORK/fig2-job") | $(echo "scale=3; $(cpu_seconds "$WORK/fig2-job") * 1000 / $j_n" | bc) |"
  out "| the peer ($inflight operations) | $p_n | $p_rate | | $p_active | $(heap_of "$WORK/fig2-peer") | $(echo "scale=3; $(cpu_seconds "$WORK/fig2-peer") * 1000 / $p_n" | bc) |"
  out ""
fi

# One rate-limit run against the emulator: fig3_run NAME EMULATOR_OPTS -- JOB_OVERRIDES...
fig3_run() {
  local name="$1" lines="$2"; shift 2
  local emu=() ; while [[ "$1" != -- ]]; do emu+=("$1"); shift; done; shift
  make_requests "$lines" "$WORK/req-$lines.jsonl"
  start_emulator --ttft-ms 20 --tpot-ms 1 "${emu[@]}"
  start_sampler "$WORK/fig3-$name.samples" emulator
  # the emulator wants a bearer token (any, when it is not given one)
  BENCH_EMULATOR_TOKEN=bench run_job "$WORK/fig3-$name" 1g "input.path=$WORK/req-$lines.jsonl" \
    "endpoint.base-url=http://127.0.0.1:$EMULATOR_PORT/v1" endpoint.token-env=BENCH_EMULATOR_TOKEN calls.capacity=256 "$@"
  stop_sampler
  stop_emulator
}

# "ok/min, 429 share %, tokens/min, window s" over the run after SKIP_SECONDS, and the 429 share % of the
# whole run, from the emulator's samples.
fig3_figures() {
  python3 - "$1" "${SKIP_SECONDS:-0}" <<'PY'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) >= 4]
skip = float(sys.argv[2])
moved = next(r for r in rows if r[1] + r[2] > rows[0][1] + rows[0][2])
start_t = moved[0] + skip
win = [r for r in rows if r[0] >= start_t]
end = next(r for r in win if r[1] == win[-1][1])  # the last change of the 200 count
a = win[0]; secs = end[0] - a[0]
ok = end[1] - a[1]; lim = end[2] - a[2]; tok = end[3] - a[3]
last = rows[-1]; first = rows[0]
run_429 = 100 * (last[2] - first[2]) / max(last[1] - first[1] + last[2] - first[2], 1)
print(f"{ok / secs * 60:.0f} {100 * lim / max(ok + lim, 1):.2f} {tok / secs * 60:.0f} {secs:.0f} {run_429:.2f}")
PY
}

if want 3; then
  rpm="${FIG3_RPM:-6000}" tpm="${FIG3_TPM:-120000}" secs="${FIG3_SECONDS:-90}"
  lines=$((rpm * secs / 60))
  out "### 3. Rate limits (emulator, 20 ms to first token), measured by the emulator"
  out ""
  out "| limit | told? | achieved | of the limit | 429 share (window) | 429 share (whole run) | window |"
  out "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  log "figure 3: $rpm requests/min, told"
  fig3_run rpm-told "$lines" --rpm "$rpm" -- "calls.requests-per-minute=$rpm" calls.adaptive=true
  read -r ok lim tok w whole < <(SKIP_SECONDS=5 fig3_figures "$WORK/fig3-rpm-told.samples")
  out "| $rpm requests/min | told | $ok/min | $(echo "scale=1; 100 * $ok / $rpm" | bc)% | $lim% | $whole% | ${w} s |"
  log "figure 3: $rpm requests/min, not told, the emulator names its limit in X-RateLimit-* headers"
  fig3_run rpm-named "$lines" --rpm "$rpm" -- calls.adaptive=true
  read -r ok lim tok w whole < <(SKIP_SECONDS=5 fig3_figures "$WORK/fig3-rpm-named.samples")
  out "| $rpm requests/min | not told; headers name it | $ok/min | $(echo "scale=1; 100 * $ok / $rpm" | bc)% | $lim% | $whole% | ${w} s |"
  log "figure 3: $rpm requests/min, not told, no X-RateLimit-* headers (AIMD alone)"
  fig3_run rpm-adaptive "$((lines * 3 / 2))" --rpm "$rpm" --rate-limit-headers false -- calls.adaptive=true
  read -r ok lim tok w whole < <(SKIP_SECONDS=30 fig3_figures "$WORK/fig3-rpm-adaptive.samples")
  out "| $rpm requests/min | not told; no headers (AIMD alone; first 30 s left out) | $ok/min | $(echo "scale=1; 100 * $ok / $rpm" | bc)% | $lim% | $whole% | ${w} s |"
  # ~44 tokens per request (prompt, chat template and answer, as the emulator counts them).
  tlines=$((tpm * secs / 60 / 44))
  log "figure 3: $tpm tokens/min, told"
  fig3_run tpm-told "$tlines" --tpm "$tpm" -- "calls.tokens-per-minute=$tpm" calls.adaptive=false
  read -r ok lim tok w whole < <(SKIP_SECONDS=5 fig3_figures "$WORK/fig3-tpm-told.samples")
  out "| $tpm tokens/min | told | $tok tokens/min | $(echo "scale=1; 100 * $tok / $tpm" | bc)% | $lim% | $whole% | ${w} s |"
  log "figure 3: $tpm tokens/min, not told, the emulator names its limit in X-RateLimit-* headers"
  fig3_run tpm-named "$tlines" --tpm "$tpm" -- calls.adaptive=true
  read -r ok lim tok w whole < <(SKIP_SECONDS=5 fig3_figures "$WORK/fig3-tpm-named.samples")
  out "| $tpm tokens/min | not told; headers name it | $tok tokens/min | $(echo "scale=1; 100 * $tok / $tpm" | bc)% | $lim% | $whole% | ${w} s |"
  log "figure 3: $tpm tokens/min, not told, no X-RateLimit-* headers (AIMD alone)"
  fig3_run tpm-adaptive "$((tlines * 3 / 2))" --tpm "$tpm" --rate-limit-headers false -- calls.adaptive=true
  read -r ok lim tok w whole < <(SKIP_SECONDS=30 fig3_figures "$WORK/fig3-tpm-adaptive.samples")
  out "| $tpm tokens/min | not told; no headers (AIMD alone; first 30 s left out) | $tok tokens/min | $(echo "scale=1; 100 * $tok / $tpm" | bc)% | $lim% | $whole% | ${w} s |"
  out ""
fi

if want 4; then
  lines="${FIG4_LINES:-1000000}"
  make_requests "$lines" "$WORK/req-$lines.jsonl"
  start_nginx 0
  log "figure 4: $lines lines, -Xmx1g"
  start_sampler "$WORK/fig4-job.samples" nginx
  run_job "$WORK/fig4-job" 1g "input.path=$WORK/req-$lines.jsonl" "endpoint.base-url=$ENDPOINT"
  stop_sampler
  stop_nginx
  read -r j_n j_s j_rate _ < <(sampled_rate "$WORK/fig4-job.samples")
  rows=$(summary_field "$WORK/fig4-job" lines.succeeded)
  bytes=$(parquet_bytes "$WORK/fig4-job/results")
  out "### 4. Scale: $lines lines from a file to Parquet (zstd), -Xmx1g, nginx at 0 ms"
  out ""
  read -r after_first after_last after_max < <(heap_after_young_gc_mib "$WORK/fig4-job.gc.log")
  read -r live_first live_last live_max < <(live_heap_mib "$WORK/fig4-job")
  out "State backend: $(grep -o 'kept in .*' "$WORK/fig4-job.log" | head -1)."
  out ""
  out "| rows | wall (JVM) | job duration | requests/s (server-side) | peak heap (limit 1 GiB) | heap after young GC: first, last, max | live heap${LIVE_HEAP:+ (every $LIVE_HEAP s)}: first, last, max | max RSS | Parquet bytes per 1,000 rows | CPU s | CPU s per 1,000 requests |"
  out "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  out "| $rows | $(wall_seconds "$WORK/fig4-job") s | $(summary_field "$WORK/fig4-job" duration_seconds) s | $j_rate | $(heap_of "$WORK/fig4-job") | $after_first, $after_last, $after_max MiB | $live_first, $live_last, $live_max MiB | $(max_rss_mib "$WORK/fig4-job") MiB | $((bytes * 1000 / rows)) | $(cpu_seconds "$WORK/fig4-job") | $(echo "scale=3; $(cpu_seconds "$WORK/fig4-job") * 1000 / $rows" | bc) |"
  out ""
fi

if want 5; then
  log "figure 5: emulator ceiling (emulator/bench/ceiling.sh)"
  out "### 5. Emulator ceiling with wrk (emulator/bench/ceiling.sh, DURATION=10s)"
  out ""
  out '```'
  DURATION=10s "$ROOT/emulator/bench/ceiling.sh" 2>&1 | tee -a "$REPORT"
  out '```'
  out ""
fi

log "report: $REPORT"
