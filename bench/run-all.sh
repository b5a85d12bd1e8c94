#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md and prints a Markdown report (also kept in $WORK/report-*.md):
#   bench/run-all.sh            all figures (~40 min)
#   bench/run-all.sh 3 6 7      only the figures of adaptive control (~25 min)
# Not part of the build or CI. Needs root for the first apt-get install of nginx, its echo module and wrk.
# Everything runs on 127.0.0.1 and is stopped at the end (or on Ctrl-C).
# Sizes (env): FIG1_LINES=200000 PEER_LINES=40000 FIG2_LINES=100000 FIG2_IN_FLIGHT=2000 FIG3_RPM=6000
#   FIG3_TPM=120000 FIG3_SECONDS=90 FIG4_LINES=1000000 WRK_SECONDS=10 FIG6_LINES=3000
#   FIG6_FIXED="24 32 40 48 64 128 256" FIG7_LINES=6000 FIG8_OPS=2000 FIG8_LINES=200000 FIG8_SLOW_LINES=100000
#   FIG8_PEER_LINES=20000 FIG8_PEER_SLOW_LINES=100. JFR=1 records a JFR file per run.
#   bench/run-all.sh 8          the SQL provider against Flink's openai provider (~10 min)
# JOB_SETTINGS="run.state-backend=rocksdb ..." adds configuration keys to every run of the job; LIVE_HEAP=5
# samples the reachable heap every 5 s (full collections: for figure 4's memory, not for speed).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap bench_cleanup EXIT
FIGURES=("$@")
((${#FIGURES[@]})) || FIGURES=(1 2 3 4 5 6 7 8)
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

# One run of the job against the standalone emulator, sampled by the emulator's counters:
# emu_run NAME CONFIG INPUT EMULATOR_OPTS... -- JOB_OVERRIDES...  (samples in $WORK/NAME.samples)
emu_run() {
  local name="$1" config="$2" input="$3"; shift 3
  local emu=(); while [[ "$1" != -- ]]; do emu+=("$1"); shift; done; shift
  start_emulator "${emu[@]}"
  start_sampler "$WORK/$name.samples" emulator
  # the emulator wants a bearer token (any, when it is not given one)
  BENCH_CONFIG="$config" BENCH_EMULATOR_TOKEN=bench run_job "$WORK/$name" 1g "input.path=$input" \
    "endpoint.base-url=http://127.0.0.1:$EMULATOR_PORT" endpoint.token-env=BENCH_EMULATOR_TOKEN "$@"
  stop_sampler
  stop_emulator
}
figures() { python3 "$BENCH_DIR/figures.py" "$@"; }
SERVERLESS="$ROOT/conf/serverless.yaml"
DEDICATED="$ROOT/conf/dedicated.yaml"

if want 3; then
  rpm="${FIG3_RPM:-6000}" tpm="${FIG3_TPM:-120000}" secs="${FIG3_SECONDS:-90}"
  lines=$((rpm * secs / 60))
  make_requests "$lines" "$WORK/req-$lines.jsonl"
  make_requests "$((lines * 3 / 2))" "$WORK/req-$((lines * 3 / 2)).jsonl"
  # ~44 tokens per request (prompt, chat template and answer, as the emulator counts them).
  tlines=$((tpm * secs / 60 / 44))
  make_requests "$tlines" "$WORK/req-$tlines.jsonl"
  make_requests "$((tlines * 3 / 2))" "$WORK/req-$((tlines * 3 / 2)).jsonl"
  out "### 3. Rate limits: conf/serverless.yaml as shipped against the emulator (20 ms to first token), measured by the emulator"
  out ""
  out "| limit | told? | achieved | of the limit | 429 share (window) | 429 share (whole run) | window | most accepted in any 60 s | first at 90% |"
  out "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  # fig3_row NAME LABEL TOLD SKIP LIMIT UNIT LINES EMULATOR_OPTS... -- JOB_OVERRIDES...
  fig3_row() {
    local name="$1" label="$2" told="$3" skip="$4" limit="$5" unit="$6" n="$7"; shift 7
    log "figure 3: $label, $told"
    emu_run "fig3-$name" "$SERVERLESS" "$WORK/req-$n.jsonl" --ttft-ms 20 --tpot-ms 1 "$@"
    read -r ach share lim whole w most first90 < <(figures limit "$WORK/fig3-$name.samples" "$skip" "$limit" "$unit")
    out "| $label | $told | $ach/min | $share% | $lim% | $whole% | ${w} s | $most | ${first90} s |"
  }
  fig3_row rpm-told "$rpm requests/min" "told" 5 "$rpm" requests "$lines" --rpm "$rpm" -- "calls.requests-per-minute=$rpm"
  fig3_row rpm-named "$rpm requests/min" "not told; headers name it" 5 "$rpm" requests "$lines" --rpm "$rpm" -- \
    calls.requests-per-minute=0
  fig3_row rpm-adaptive "$rpm requests/min" "not told; no headers (first 30 s left out)" 30 "$rpm" requests \
    "$((lines * 3 / 2))" --rpm "$rpm" --rate-limit-headers false -- calls.requests-per-minute=0
  fig3_row tpm-told "$tpm tokens/min" "told" 5 "$tpm" tokens "$tlines" --tpm "$tpm" -- calls.requests-per-minute=0 \
    "calls.tokens-per-minute=$tpm"
  fig3_row tpm-named "$tpm tokens/min" "not told; headers name it" 5 "$tpm" tokens "$tlines" --tpm "$tpm" -- \
    calls.requests-per-minute=0
  fig3_row tpm-adaptive "$tpm tokens/min" "not told; no headers (first 30 s left out)" 30 "$tpm" tokens \
    "$((tlines * 3 / 2))" --tpm "$tpm" --rate-limit-headers false -- calls.requests-per-minute=0
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

# The endpoint of figures 6 and 7: 32 generations at once, 200 ms to the first token, 10 ms per further token.
CAPACITY=(--concurrency 32 --ttft-ms 200 --tpot-ms 10)

if want 6; then
  lines="${FIG6_LINES:-3000}"
  input="$WORK/req-$lines-30tokens.jsonl"
  make_requests "$lines" "$input" 30
  out "### 6. Capacity: the emulator with --concurrency 32 --ttft-ms 200 --tpot-ms 10, $lines requests of 30 tokens"
  out ""
  out "| run | requests/s (server-side) | of the best fixed | 429s (queue timeouts) | CPU s |"
  out "| --- | ---: | ---: | ---: | ---: |"
  log "figure 6: conf/dedicated.yaml as shipped"
  emu_run fig6-adaptive "$DEDICATED" "$input" "${CAPACITY[@]}" --
  read -r _ _ adaptive _ < <(figures rate "$WORK/fig6-adaptive.samples")
  best=0 best_n=0 fixed_rows=()
  for n in ${FIG6_FIXED:-24 32 40 48 64 128 256}; do
    log "figure 6: calls.adaptive=false, calls.capacity=$n"
    emu_run "fig6-fixed-$n" "$DEDICATED" "$input" "${CAPACITY[@]}" -- calls.adaptive=false "calls.capacity=$n"
    read -r _ _ r _ < <(figures rate "$WORK/fig6-fixed-$n.samples")
    fixed_rows+=("$n $r $(cpu_seconds "$WORK/fig6-fixed-$n")")
    if (($(echo "$r > $best" | bc))); then best=$r best_n=$n; fi
  done
  log "figure 6: conf/dedicated.yaml, bodies with timeout_microseconds twice a generation (1 s)"
  emu_run fig6-timeout "$DEDICATED" "$input" "${CAPACITY[@]}" -- defaults.body.timeout_microseconds=1000000
  read -r ok _ timed queue_timeouts < <(figures rate "$WORK/fig6-timeout.samples")
  out "| conf/dedicated.yaml (adaptive) | $adaptive | $(echo "scale=1; 100 * $adaptive / $best" | bc)% | $(figures rate "$WORK/fig6-adaptive.samples" | cut -d' ' -f4) | $(cpu_seconds "$WORK/fig6-adaptive") |"
  out "| conf/dedicated.yaml, timeout_microseconds 1 s | $timed | $(echo "scale=1; 100 * $timed / $best" | bc)% | $queue_timeouts ($(echo "scale=2; 100 * $queue_timeouts / ($ok + $queue_timeouts)" | bc)% of answers) | $(cpu_seconds "$WORK/fig6-timeout") |"
  for row in "${fixed_rows[@]}"; do
    read -r n r cpu <<<"$row"
    out "| fixed: calls.adaptive=false, calls.capacity=$n | $r | $(echo "scale=1; 100 * $r / $best" | bc)% | 0 | $cpu |"
  done
  out ""
  out "Adaptive / best fixed (capacity $best_n): **$(echo "scale=3; $adaptive / $best" | bc)**."
  out ""
fi

if want 7; then
  lines="${FIG7_LINES:-6000}"
  input="$WORK/req-$lines-30tokens.jsonl"
  make_requests "$lines" "$input" 30
  FAULTS=(--fault-429 0.025 --fault-429-retry-after 0.025 --fault-503 0.02 --fault-reset 0.01)
  out "### 7. Noise: 5% transient 429s (half with Retry-After: 1), 2% 503s, 1% resets, no limit; the endpoint of figure 6, $lines requests"
  out ""
  out "| configuration | faults | successes/s (server-side) | noisy / clean | failed lines | deadline_exceeded | retries |"
  out "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  # fig7_pair NAME LABEL CONFIG JOB_OVERRIDES...
  fig7_pair() {
    local name="$1" label="$2" config="$3"; shift 3
    log "figure 7: $label without faults"
    emu_run "fig7-$name-clean" "$config" "$input" "${CAPACITY[@]}" -- "$@"
    log "figure 7: $label with faults"
    emu_run "fig7-$name-noisy" "$config" "$input" "${CAPACITY[@]}" "${FAULTS[@]}" -- "$@"
    read -r _ _ clean _ < <(figures rate "$WORK/fig7-$name-clean.samples")
    read -r _ _ noisy _ < <(figures rate "$WORK/fig7-$name-noisy.samples")
    for run in clean noisy; do
      local dir="$WORK/fig7-$name-$run" r
      r=$([[ $run == clean ]] && echo "$clean" || echo "$noisy")
      out "| $label | $([[ $run == clean ]] && echo none || echo "${FAULTS[*]}") | $r | $([[ $run == noisy ]] && echo "$(echo "scale=3; $noisy / $clean" | bc)") | $(summary_field "$dir" lines.failed) | $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]+"/_SUMMARY.json"))["errors_by_type"].get("deadline_exceeded", 0))' "$dir") | $(summary_field "$dir" retries) |"
    done
  }
  fig7_pair dedicated "conf/dedicated.yaml" "$DEDICATED"
  fig7_pair serverless "conf/serverless.yaml, calls.requests-per-minute=0" "$SERVERLESS" calls.requests-per-minute=0
  out ""
fi

# Figure 8 (issue 14): the same ML_PREDICT query, same Flink, same input, provider openai against provider
# friendli, in one run, against nginx answering at once and after 1 s. Both at the query's
# max-concurrent-operations FIG8_OPS (per subtask, parallelism 2).
if want 8; then
  ops="${FIG8_OPS:-2000}" fast_lines="${FIG8_LINES:-200000}" slow_lines="${FIG8_SLOW_LINES:-100000}"
  peer_fast="${FIG8_PEER_LINES:-20000}" peer_slow="${FIG8_PEER_SLOW_LINES:-100}"
  make_requests "$fast_lines" "$WORK/req-$fast_lines.jsonl"
  make_requests "$slow_lines" "$WORK/req-$slow_lines.jsonl"
  head -n "$peer_fast" "$WORK/req-$fast_lines.jsonl" >"$WORK/req-fig8-openai-fast.jsonl"
  head -n "$peer_slow" "$WORK/req-$slow_lines.jsonl" >"$WORK/req-fig8-openai-slow.jsonl"
  out "### 8. Flink SQL: ML_PREDICT with provider openai and provider friendli (max-concurrent-operations $ops, parallelism 2)"
  out ""
  out "| endpoint | provider | rows | requests/s (server-side) | end to end | CPU s per 1,000 requests | friendli / openai |"
  out "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  for delay in 0 1; do
    start_nginx "$delay"
    speed=$([[ $delay == 0 ]] && echo fast || echo slow)
    declare -A rate=()
    for provider in openai friendli; do
      input="$WORK/req-fig8-openai-$speed.jsonl"
      [[ $provider == friendli ]] && input="$WORK/req-$([[ $delay == 0 ]] && echo "$fast_lines" || echo "$slow_lines").jsonl"
      name="fig8-$speed-$provider"
      log "figure 8: $provider, nginx after $delay s, $(wc -l <"$input") rows"
      start_sampler "$WORK/$name.samples" nginx
      run_peer "$WORK/$name" 1g "$input" "$ENDPOINT/chat/completions" --provider "$provider" --concurrency "$ops" >/dev/null
      stop_sampler
      read -r n _ r _ < <(sampled_rate "$WORK/$name.samples")
      rate[$provider]=$r
      ratio=""
      [[ $provider == friendli ]] && ratio="**$(echo "scale=1; ${rate[friendli]} / ${rate[openai]}" | bc)x**"
      out "| nginx, ${delay} s | $provider | $n | $r | $(awk -F'requests_per_second=' '{print $2}' "$WORK/$name.result") req/s in $(wall_seconds "$WORK/$name") s | $(echo "scale=3; $(cpu_seconds "$WORK/$name") * 1000 / $n" | bc) | $ratio |"
    done
    stop_nginx
  done
  out ""
fi

log "report: $REPORT"
