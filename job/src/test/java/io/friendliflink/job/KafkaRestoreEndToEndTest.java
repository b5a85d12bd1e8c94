package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.job.config.ConfigLoader;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.pipeline.BulkInferencePipeline;
import io.friendliflink.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unbounded Kafka runs stopped midway and started again from their savepoint, or from the checkpoint a
 * cancelled run retained, end with every request exactly once across both runs' committed Parquet files.
 *
 * <p>Both runs have {@code resume.enabled: false}: the second run does not read the first run's results to
 * skip ids, so what keeps a request from being sent and written twice is Flink state alone (the Kafka
 * offsets, the ids seen, the requests in flight and the sink's pending files). Started without that state,
 * the second run would read the topic from the start again and write the first lines' ids a second time.
 */
class KafkaRestoreEndToEndTest {
    private static final int FIRST = 240;
    private static final int SECOND = 120;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = E2e.miniCluster();

    @TempDir
    Path dir;

    @Test
    void aRunStoppedWithASavepointAndStartedFromItWritesEveryRequestOnce() throws Exception {
        RequestMix mix = RequestMix.valid(FIRST + SECOND);
        Path output = dir.resolve("out");
        try (KafkaBroker kafka = KafkaBroker.start();
                E2e.TokenEmulator emulator = E2e.TokenEmulator.start(slowEmulator(), dir);
                E2e.TokenEmulator reference = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            kafka.createTopic("requests", 3);
            kafka.send("requests", mix.lines().subList(0, FIRST));
            JobConfig config = config(kafka, output, emulator);

            JobClient first = start(config, emulator, new Configuration());
            awaitCommitted(output, 20, first);
            String savepoint = first.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            List<String> atStop = committedIds(output);
            assertThat(atStop).as("ids committed by the first run").isNotEmpty().doesNotHaveDuplicates();
            // The savepoint is taken while requests are in flight (the calls' capacity is full): they are in
            // its state, not in the output.
            assertThat(atStop.size()).as("ids committed by the first run").isLessThan(FIRST);

            kafka.send("requests", mix.lines().subList(FIRST, FIRST + SECOND));
            Configuration restore = new Configuration();
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            JobClient second = start(config, emulator, restore);
            awaitCommitted(output, FIRST + SECOND, second);
            second.cancel().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertEachRequestOnce(mix, RunOutput.read(output));
            reference.answers().assertResultsMatch(mix.sent(List.of()), RunOutput.read(output).resultsById());
        }
    }

    @Test
    void aCancelledRunStartedFromItsRetainedCheckpointWritesEveryRequestOnce() throws Exception {
        RequestMix mix = RequestMix.valid(FIRST + SECOND);
        Path output = dir.resolve("out");
        Path checkpoints = dir.resolve("checkpoints");
        try (KafkaBroker kafka = KafkaBroker.start();
                E2e.TokenEmulator emulator = E2e.TokenEmulator.start(slowEmulator(), dir);
                E2e.TokenEmulator reference = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            kafka.createTopic("requests", 3);
            kafka.send("requests", mix.lines().subList(0, FIRST));
            JobConfig config = config(kafka, output, emulator);

            Configuration retain = new Configuration();
            retain.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
            retain.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
            JobClient first = start(config, emulator, retain);
            awaitCommitted(output, 20, first);
            first.cancel().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            awaitStatus(first, JobStatus.CANCELED);
            List<String> atCancel = committedIds(output);
            assertThat(atCancel).as("ids committed by the first run").isNotEmpty().doesNotHaveDuplicates();
            Path checkpoint = latestCompleteCheckpoint(checkpoints.resolve(first.getJobID().toHexString()));

            kafka.send("requests", mix.lines().subList(FIRST, FIRST + SECOND));
            Configuration restore = new Configuration();
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, checkpoint.toUri().toString());
            JobClient second = start(config, emulator, restore);
            awaitCommitted(output, FIRST + SECOND, second);
            second.cancel().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertEachRequestOnce(mix, RunOutput.read(output));
            reference.answers().assertResultsMatch(mix.sent(List.of()), RunOutput.read(output).resultsById());
        }
    }

    /** Some latency, so the first run is stopped while it works: about 50 ms for each answer. */
    private static EmulatorConfig.Builder slowEmulator() {
        return EmulatorConfig.builder()
                .timeToFirstToken(Duration.ofMillis(20))
                .timePerOutputToken(Duration.ofMillis(2));
    }

    private JobConfig config(KafkaBroker kafka, Path output, E2e.TokenEmulator emulator) {
        List<String> keys = new ArrayList<>(List.of(
                "input.type=kafka",
                "input.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "input.kafka.topics=[requests]",
                "input.kafka.group-id=restore",
                "input.kafka.bounded=false",
                "output.path=" + output));
        keys.addAll(E2e.endpointAndCalls(emulator));
        // After the shared keys, so these win: few calls at once, so the first run is still working when it
        // is stopped; the ids of the output are not read back (see the class comment).
        keys.addAll(List.of("calls.capacity=4", "resume.enabled=false",
                // Commits while the run works, with rows held between commits in the savepoint or checkpoint.
                "output.commit-interval=1s"));
        return JobConfig.from(ConfigLoader.load(null, keys));
    }

    private static JobClient start(JobConfig config, E2e.TokenEmulator emulator, Configuration flink)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        BulkInferencePipeline.build(env, config, emulator.baseUrl());
        return env.executeAsync("restore " + config.output().path().getName());
    }

    /** Every request of the mix is in exactly one committed row; with a healthy emulator, a result row. */
    private static void assertEachRequestOnce(RequestMix mix, RunOutput out) {
        List<String> ids = new ArrayList<>();
        for (GenericRecord r : out.results()) {
            ids.add(str(r, "custom_id"));
        }
        for (GenericRecord r : out.errors()) {
            ids.add(str(r, "custom_id"));
        }
        assertThat(ids).as("ids in results and errors").doesNotHaveDuplicates();
        assertThat(new HashSet<>(ids)).as("ids in results and errors").isEqualTo(mix.requests().keySet());
        assertThat(out.errors()).as("error rows (the emulator has no faults)").isEmpty();
    }

    private static List<String> committedIds(Path output) throws Exception {
        RunOutput out = RunOutput.read(output);
        List<String> ids = new ArrayList<>();
        out.results().forEach(r -> ids.add(str(r, "custom_id")));
        out.errors().forEach(r -> ids.add(str(r, "custom_id")));
        return ids;
    }

    /** Waits until {@code count} rows are committed, failing if the job ends or the wait runs out first. */
    private static void awaitCommitted(Path output, int count, JobClient job) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int committed;
        while ((committed = committedIds(output).size()) < count) {
            JobStatus status = job.getJobStatus().get();
            assertThat(status.isGloballyTerminalState()).as("job ended (%s) with %d of %d rows committed",
                    status, committed, count).isFalse();
            assertThat(System.nanoTime()).as("%d of %d rows committed in %s", committed, count, WAIT)
                    .isLessThan(deadline);
            Thread.sleep(50); // the rows appear in files another thread commits; nothing to wait on
        }
    }

    private static void awaitStatus(JobClient job, JobStatus expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (job.getJobStatus().get() != expected) {
            assertThat(System.nanoTime()).as("job status %s within %s", expected, WAIT).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The newest {@code chk-<n>} directory that holds a checkpoint's metadata (a later one may be partial). */
    private static Path latestCompleteCheckpoint(Path jobDir) throws Exception {
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint under " + jobDir));
        }
    }
}
