package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.pipeline.BulkInferencePipeline;
import io.friendliflink.job.pipeline.RunCounters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded file run whose tasks fail midway restores from its last checkpoint and still ends every input
 * line as exactly one row.
 *
 * <p>The failure is the loss of the task manager running every task of the job: the test terminates it on
 * the mini cluster while results are being committed and starts a new one, as a cluster replaces a lost
 * machine. Nothing in the job is changed for the test. The job's restart strategy ({@code
 * run.restart-attempts}) brings it back from the last completed checkpoint: the file reader's position, the
 * ids seen, the requests in flight and the sink's pending files. Resuming from the output is off, so no id
 * is skipped by reading {@code results/}: the exactly-once output comes from Flink state alone. It holds for
 * both state backends {@code run.state-backend} can name: the ids seen on the heap, or in RocksDB on local
 * disk, restored from its incremental checkpoint files.
 */
class FailoverEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = E2e.miniCluster();

    /**
     * The index of the cluster's live task manager. The mini cluster lists every task manager it started, lost
     * ones included, so each run of the test loses the one the run before it started.
     */
    private static int liveTaskManager = 0;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "run.state-backend: {0}")
    @CsvSource({"hashmap, HashMapStateBackend", "rocksdb, EmbeddedRocksDBStateBackend"})
    void aRunWhoseTaskManagerIsLostMidwayRestoresFromItsCheckpointAndEndsEveryLineOnce(String backend,
            String backendClass, @InjectMiniCluster MiniCluster cluster) throws Exception {
        RequestMix mix = RequestMix.withBadLines(480);
        Path input = dir.resolve("requests.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("out");
        // About 50 ms for each answer and 4 calls at once per subtask: the run takes seconds, so it is lost
        // in the middle, after some checkpoints have committed results.
        EmulatorConfig.Builder slow = EmulatorConfig.builder()
                .timeToFirstToken(Duration.ofMillis(20))
                .timePerOutputToken(Duration.ofMillis(2));
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(slow, dir);
                E2e.TokenEmulator reference = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            JobConfig config = E2e.fileRun(input, output, emulator,
                    "calls.capacity=4",
                    "resume.enabled=false",
                    "run.restart-attempts=2",
                    "run.restart-delay=100ms",
                    "run.state-backend=" + backend,
                    // Commits mid-run, with rows held between commits when the task manager is lost.
                    "output.commit-interval=1s");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            BulkInferencePipeline.build(env, config, emulator.baseUrl());
            JobClient job = env.executeAsync("failover");

            awaitCommittedRows(output, 30, job);
            List<String> beforeLoss = committedIds(output);
            cluster.terminateTaskManager(liveTaskManager).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            cluster.startTaskManager();
            liveTaskManager++;

            JobExecutionResult result = job.getJobExecutionResult().get(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
            AccessExecutionGraph graph = cluster.getExecutionGraph(job.getJobID()).get();
            assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING)).as("the job restarted").isPositive();
            assertThat(graph.getStateBackendName()).as("the state backend").contains(backendClass);
            assertThat(beforeLoss.size()).as("rows committed before the loss").isLessThan(mix.lines().size());

            RunOutput out = RunOutput.read(output);
            E2e.assertEveryLineEndsOnce(mix, out, true);
            assertThat(committedIds(output)).as("rows committed before the loss are still there")
                    .containsAll(beforeLoss);
            assertThat(out.errorsById().keySet()).as("errors of sent requests (the emulator has no faults)")
                    .containsExactlyInAnyOrderElementsOf(mix.rejectedWithId().keySet());
            reference.answers().assertResultsMatch(mix.sent(out.errorsOfType("duplicate_custom_id")),
                    out.resultsById());
            // The run's counts (the summary's) survive the failover: they are checkpointed with the rows they count.
            assertThat(E2e.counter(result, RunCounters.SUCCEEDED)).as("succeeded").isEqualTo(out.results().size());
            assertThat(E2e.counter(result, RunCounters.FAILED) + E2e.counter(result, RunCounters.LINES_REJECTED)
                    + E2e.counter(result, RunCounters.DUPLICATES)).as("failed, rejected and duplicate lines")
                    .isEqualTo(out.errors().size());
        }
    }

    private static List<String> committedIds(Path output) throws Exception {
        RunOutput out = RunOutput.read(output);
        List<String> ids = new ArrayList<>();
        out.results().forEach(r -> ids.add(str(r, "custom_id")));
        out.errors().forEach(r -> ids.add(str(r, "custom_id")));
        return ids;
    }

    /** Waits until {@code count} rows are committed while the job runs, failing if it ends first. */
    private static void awaitCommittedRows(Path output, int count, JobClient job) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int committed;
        while ((committed = committedIds(output).size()) < count) {
            JobStatus status = job.getJobStatus().get();
            assertThat(status.isGloballyTerminalState()).as("job ended (%s) with %d rows committed",
                    status, committed).isFalse();
            assertThat(System.nanoTime()).as("%d of %d rows committed in %s", committed, count, WAIT)
                    .isLessThan(deadline);
            Thread.sleep(50); // the rows appear in files another thread commits; nothing to wait on
        }
        assertThat(job.getJobStatus().get()).as("job status once %d rows are committed", count)
                .isEqualTo(JobStatus.RUNNING);
    }
}
