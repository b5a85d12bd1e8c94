#!/usr/bin/env bash
# Times `bin/run --plan` (no --tokenize) on LINES request lines, 1,000,000 by default (issue 15: under a minute).
#   bench/plan-1m.sh [LINES]
# Writes the lines once to $BENCH_WORK (default /tmp/friendli-bench), builds the job through bin/run first so
# that the build is not timed, and prints the plan, the wall and CPU seconds and the peak RSS.
source "$(dirname "$0")/lib.sh"

lines="${1:-1000000}"
input="$WORK/req-$lines.jsonl"
out="$WORK/plan-$lines"
make_requests "$lines" "$input"
"$ROOT/bin/run" --help >/dev/null
rm -rf "$out"
log "planning $lines lines"
/usr/bin/time -f '%e %U %S %M' -o "$out.time" "$ROOT/bin/run" --config "$ROOT/conf/local.yaml" --plan \
  "input.path=$input" "output.path=$out" pricing.input-per-million=0.1 pricing.output-per-million=0.4 \
  calls.requests-per-minute=6000 | tee "$out.log"
machine_info
read -r wall user sys rss <"$out.time"
echo "- plan of $lines lines: $wall s wall, $(echo "$user + $sys" | bc) CPU s, peak RSS $((rss / 1024)) MiB"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); print("- _PLAN.json lines:", p["lines"])' "$out/_PLAN.json"
