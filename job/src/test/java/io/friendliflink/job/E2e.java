package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.emulator.Emulator;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.job.config.ConfigLoader;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.job.pipeline.BulkInferencePipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** What the end-to-end tests share: the mini cluster, an emulator with a token, a run, and the accounting. */
final class E2e {
    static final int PARALLELISM = 2;

    private E2e() {}

    static MiniClusterExtension miniCluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(PARALLELISM)
                .build());
    }

    /** An emulator that demands a token, and the file the job reads that token from. */
    record TokenEmulator(Emulator emulator, String token, Path tokenFile) implements AutoCloseable {
        static TokenEmulator start(EmulatorConfig.Builder config, Path dir) throws IOException {
            String token = "flp_e2e_" + Long.toHexString(System.nanoTime());
            Path tokenFile = Files.createTempFile(dir, "token", ".txt");
            Files.writeString(tokenFile, token);
            return new TokenEmulator(Emulator.start(config.token(token).build()), token, tokenFile);
        }

        String baseUrl() {
            return emulator.baseUrl();
        }

        EmulatorAnswers answers() {
            return new EmulatorAnswers(baseUrl(), token);
        }

        @Override
        public void close() {
            emulator.close();
        }
    }

    /**
     * The configuration of a run on file input against {@code emulator} as a serverless endpoint, with small
     * backoffs and a short checkpoint interval so a test ends in seconds; {@code overrides} change any key.
     */
    static JobConfig fileRun(Path input, Path output, TokenEmulator emulator, String... overrides) {
        List<String> all = new ArrayList<>(List.of(
                "input.type=file",
                "input.path=" + input,
                "output.path=" + output));
        all.addAll(endpointAndCalls(emulator));
        all.addAll(List.of(overrides));
        return JobConfig.from(ConfigLoader.load(null, all));
    }

    static List<String> endpointAndCalls(TokenEmulator emulator) {
        return List.of(
                "endpoint.type=serverless",
                "endpoint.base-url=" + emulator.baseUrl(),
                "endpoint.token-file=" + emulator.tokenFile(),
                "endpoint.attempt-timeout=10s",
                "calls.capacity=32",
                "calls.adaptive=false",
                "calls.initial-backoff=5ms",
                "calls.max-backoff=50ms",
                "run.parallelism=" + PARALLELISM,
                "run.checkpoint-interval=200ms",
                "run.restart-attempts=0",
                // The tests compare the answers as received with the emulator's.
                "output.raw-response=all");
    }

    static JobExecutionResult run(JobConfig config, String baseUrl) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        BulkInferencePipeline.build(env, config, baseUrl);
        return env.execute("e2e " + config.output().path().getName());
    }

    static long counter(JobExecutionResult result, String name) {
        Object value = result.getAllAccumulatorResults().get(name);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /**
     * Every line ended as exactly one row: each request id in exactly one of results and errors, each refused
     * line with its reason, each repeated id as one duplicate error, nothing else.
     *
     * @param firstLineWins whether the first line of a repeated id is the one sent (true for one ordered
     *     file; false for Kafka partitions, where either may come first)
     */
    static void assertEveryLineEndsOnce(RequestMix mix, RunOutput out, boolean firstLineWins) {
        assertThat(out.rows()).as("rows in results and errors").isEqualTo(mix.lines().size());
        Map<String, GenericRecord> results = out.resultsById();
        Map<String, GenericRecord> errors = out.errorsById();
        Set<String> both = new HashSet<>(results.keySet());
        both.retainAll(errors.keySet());
        assertThat(both).as("ids in both results and errors").isEmpty();

        Set<String> expectedIds = new HashSet<>(mix.requests().keySet());
        expectedIds.addAll(mix.rejectedWithId().keySet());
        Set<String> ended = new HashSet<>(results.keySet());
        ended.addAll(errors.keySet());
        assertThat(ended).as("ids with a result or an error").isEqualTo(expectedIds);

        mix.rejectedWithId().forEach((id, type) -> {
            GenericRecord row = errors.get(id);
            assertThat(str(row, "error_type")).as("error type of refused line %s", id).isEqualTo(type);
            assertThat((Integer) row.get("attempts")).as("attempts of refused line %s", id).isZero();
            assertThat(str(row, "input_line")).as("input line of %s", id).contains(id);
        });

        List<GenericRecord> withoutId = out.errors().stream().filter(r -> r.get("custom_id") == null).toList();
        assertThat(withoutId).as("error rows of lines without an id").hasSize(mix.linesWithoutId())
                .allSatisfy(r -> assertThat(str(r, "error_type")).isIn("invalid_json", "missing_custom_id"));

        List<GenericRecord> duplicates = out.errorsOfType("duplicate_custom_id");
        assertThat(duplicates.stream().map(r -> str(r, "custom_id")).toList())
                .as("duplicate lines").containsExactlyInAnyOrderElementsOf(mix.duplicates());
        if (firstLineWins) {
            assertThat(duplicates).allSatisfy(r -> assertThat(str(r, "input_line"))
                    .contains("A different question, same id."));
        }
    }
}
