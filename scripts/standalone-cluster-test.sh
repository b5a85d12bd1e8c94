#!/usr/bin/env bash
# Runs the job on a real Flink standalone cluster: a JobManager and a TaskManager as separate JVMs (Flink's
# jars from the Maven build, no download), the shaded job jar submitted with `flink run` (CliFrontend), the
# standalone emulator on 127.0.0.1; then checks the exit code, _SUMMARY.json and the results.
#   scripts/standalone-cluster-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${SKIP_BUILD:-}" = 1 ] || mvn -q -B -DskipTests package -pl job -am
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rest_port=$(free_port); emulator_port=$(free_port)

# The cluster's class path: the job's provided dependencies (Flink, and what Flink needs, RocksDB included as in
# flink-dist; the job below keeps its state in RocksDB, which the shaded jar does not carry) only, i.e. the
# compile class path without the runtime one; the job's own code and libraries come in the shaded jar,
# as on a user's cluster.
cluster_cp=$(comm -23 <(tr ':' '\n' < job/target/run-classpath-compile.txt | sort -u) \
  <(tr ':' '\n' < job/target/run-classpath-runtime.txt | grep -v -E '/(slf4j-api|commons-[a-z0-9]+|kryo|objenesis|minlog|snappy-java|lz4-java|zstd-jni|jsr305)[-/]' | sort -u) \
  | paste -sd: -)

# The module openings Flink's own start scripts pass (env.java.opts.all in a distribution's config.yaml).
opens=""
for p in java.base/java.util java.base/java.lang java.base/java.lang.reflect java.base/java.lang.invoke \
         java.base/java.io java.base/java.nio java.base/sun.nio.ch java.base/java.net java.base/java.text \
         java.base/java.time java.base/java.util.concurrent java.base/java.util.concurrent.atomic \
         java.base/java.util.concurrent.locks java.rmi/sun.rmi.transport java.security.jgss/sun.security.krb5; do
  opens="$opens --add-opens=$p=ALL-UNNAMED"
done
opens="$opens --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"

mkdir -p "$work/conf"
cat > "$work/conf/config.yaml" <<CONF
jobmanager.rpc.address: 127.0.0.1
jobmanager.bind-host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $rest_port
jobmanager.memory.process.size: 768m
# What Flink's start scripts compute (BashJavaUtils) and pass to a TaskManager, set here instead.
taskmanager.cpu.cores: 2
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.task.heap.size: 384m
taskmanager.memory.managed.size: 64m
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.task.off-heap.size: 0m
taskmanager.memory.network.min: 64m
taskmanager.memory.network.max: 64m
taskmanager.memory.jvm-metaspace.size: 256m
taskmanager.memory.jvm-overhead.min: 192m
taskmanager.memory.jvm-overhead.max: 192m
taskmanager.numberOfTaskSlots: 2
parallelism.default: 2
CONF
export FLINK_CONF_DIR="$work/conf"

java $opens -Xmx512m -cp "$cluster_cp" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
  --configDir "$work/conf" > "$work/jobmanager.log" 2>&1 &
pids+=($!)
java $opens -Xmx700m -cp "$cluster_cp" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
  --configDir "$work/conf" > "$work/taskmanager.log" 2>&1 &
pids+=($!)

printf 'flp_standalone_%s' "$RANDOM$RANDOM" > "$work/token"
chmod 600 "$work/token"
java -jar emulator/target/friendli-flink-emulator-0.1.0-standalone.jar --host 127.0.0.1 --port "$emulator_port" \
  --token-file "$work/token" > "$work/emulator.log" 2>&1 &
pids+=($!)

# Wait for the REST endpoint and one registered TaskManager.
for _ in $(seq 1 60); do
  if curl -sf "http://127.0.0.1:$rest_port/taskmanagers" 2>/dev/null | grep -q '"id"'; then break; fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$rest_port/taskmanagers" | grep -q '"id"' || { echo "cluster did not start"; for f in "$work"/*.log; do echo "== $f"; tail -n 30 "$f"; done; exit 1; }

cp sample-data/requests.jsonl "$work/requests.jsonl"
cat > "$work/job.yaml" <<JOB
input: {path: $work/requests.jsonl}
endpoint: {type: serverless, base-url: "http://127.0.0.1:$emulator_port", token-file: $work/token}
defaults: {model: meta-llama-3.1-8b-instruct}
output: {path: $work/out}
run: {parallelism: 2, checkpoint-interval: 1s, state-backend: rocksdb}
JOB

set +e
java $opens -cp "$cluster_cp" org.apache.flink.client.cli.CliFrontend run -m "127.0.0.1:$rest_port" \
  job/target/friendli-flink-job-0.1.0-flink.jar --config "$work/job.yaml" > "$work/client.log" 2>&1
code=$?
set -e
grep -v ' WARN \|^\s*at ' "$work/client.log" | tail -12
# The sample holds four bad lines on purpose: the run finishes with failed lines (exit code 3).
if [ "$code" -ne 3 ]; then echo "flink run exited $code, expected 3"; tail -40 "$work/taskmanager.log"; exit 1; fi
grep -q '"status" : "FINISHED_WITH_ERRORS"' "$work/out/_SUMMARY.json" || { echo "summary is not FINISHED_WITH_ERRORS"; exit 1; }
grep -q 'kept in rocksdb state' "$work/client.log" || { echo "the job did not keep its state in RocksDB"; exit 1; }
grep -q 'EmbeddedRocksDBStateBackend' "$work/taskmanager.log" || { echo "no RocksDB state backend on the task manager"; tail -40 "$work/taskmanager.log"; exit 1; }
expected=$(grep -c . sample-data/requests.jsonl)
done_lines=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["lines"]["done"])' "$work/out/_SUMMARY.json")
[ "$done_lines" = "$expected" ] || { echo "done $done_lines of $expected lines"; exit 1; }
ls "$work/out/results"/part-*.parquet > /dev/null
echo "OK: standalone cluster ran all $expected lines (exit 3, _SUMMARY.json FINISHED_WITH_ERRORS: the 4 bad lines)"
