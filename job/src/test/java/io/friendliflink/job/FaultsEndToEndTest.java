package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.EmulatorStats;
import io.friendliflink.emulator.fault.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The job against an emulator that misbehaves: error statuses, resets, truncated and malformed answers,
 * answers too slow for the attempt timeout. Retries must turn them into results, or, once the attempts run
 * out, into one error row naming the cause; never a lost or a second row.
 */
class FaultsEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = E2e.miniCluster();

    private static final String ATTEMPT_TIMEOUT = "endpoint.attempt-timeout=500ms";
    private static final Duration SLOW = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    /** A healthy emulator, asked for the answers the faulty ones should have given. */
    private static E2e.TokenEmulator reference;

    @BeforeAll
    static void startReference() throws Exception {
        reference = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir);
    }

    @AfterAll
    static void stopReference() {
        reference.close();
    }

    @Test
    void withEveryKindOfFaultInjectedEveryRequestEndsInResultsWithTheEmulatorsValues() throws Exception {
        EmulatorConfig.Builder faulty = EmulatorConfig.builder()
                .seed(11)
                .fault(Fault.HTTP_500, 0.05)
                .fault(Fault.HTTP_502, 0.05)
                .fault(Fault.HTTP_503, 0.05)
                .fault(Fault.HTTP_504, 0.05)
                .fault(Fault.CONNECTION_RESET, 0.1)
                .fault(Fault.TRUNCATED_STREAM, 0.1)
                .fault(Fault.MALFORMED_JSON, 0.1);
        RequestMix mix = RequestMix.valid(180);
        Path input = dir.resolve("faults.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("faults-out");

        JobExecutionResult result;
        EmulatorStats stats;
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(faulty, dir)) {
            // Half the attempts fail: 40 attempts leave a chance of about 1e-12 that a request runs out.
            result = E2e.run(E2e.fileRun(input, output, emulator, "calls.max-attempts=40"), emulator.baseUrl());
            stats = emulator.emulator().stats();
        }

        RunOutput out = RunOutput.read(output);
        E2e.assertEveryLineEndsOnce(mix, out, true);
        assertThat(out.errors()).as("errors, with half of all attempts failing and 40 attempts each").isEmpty();
        reference.answers().assertResultsMatch(mix.sent(out.errorsOfType("duplicate_custom_id")), out.resultsById());
        assertThat(out.results()).anySatisfy(r -> assertThat((Integer) r.get("attempts")).isGreaterThan(2));

        long attempts = out.results().stream().mapToLong(r -> (Integer) r.get("attempts")).sum();
        long received = generationRequests(stats);
        assertThat(E2e.counter(result, "attempts")).isEqualTo(attempts);
        assertThat(retries(result)).as("retries of requests that all ended in results")
                .isEqualTo(attempts - mix.requests().size());
        assertThat(E2e.counter(result, "retries.server_error")).as("retried 5xx")
                .isEqualTo(stats.faults("fault-500") + stats.faults("fault-502") + stats.faults("fault-503")
                        + stats.faults("fault-504"))
                .isPositive();
        assertThat(E2e.counter(result, "retries.malformed")).as("retried malformed answers")
                .isEqualTo(stats.faults("fault-malformed")).isPositive();
        assertThat(received).as("requests the emulator received, one per attempt").isEqualTo(attempts);
        // A cut JSON body is a connection closed early, a cut stream a truncated one.
        assertThat(E2e.counter(result, "retries.truncated_stream")).isPositive();
        assertThat(E2e.counter(result, "retries.connection")).isPositive();
        assertThat(E2e.counter(result, "retries.connection") + E2e.counter(result, "retries.truncated_stream"))
                .as("retried resets and truncations")
                .isEqualTo(stats.faults("fault-reset") + stats.faults("fault-truncate"));
    }

    @Test
    void answersSlowerThanTheAttemptTimeoutAreRetriedUntilEveryRequestEndsInResults() throws Exception {
        EmulatorConfig.Builder slow = EmulatorConfig.builder().seed(5).slowResponseDelay(SLOW)
                .fault(Fault.SLOW_RESPONSE, 0.3);
        RequestMix mix = RequestMix.valid(90);
        Path input = dir.resolve("slow.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("slow-out");

        JobExecutionResult result;
        EmulatorStats stats;
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(slow, dir)) {
            result = E2e.run(E2e.fileRun(input, output, emulator, ATTEMPT_TIMEOUT, "calls.max-attempts=25"),
                    emulator.baseUrl());
            stats = emulator.emulator().stats();
        }

        RunOutput out = RunOutput.read(output);
        E2e.assertEveryLineEndsOnce(mix, out, true);
        assertThat(out.errors()).isEmpty();
        reference.answers().assertResultsMatch(mix.sent(out.errorsOfType("duplicate_custom_id")), out.resultsById());
        // A healthy answer may also miss the attempt timeout on a busy machine: at least every slow one did.
        assertThat(E2e.counter(result, "retries.timeout")).isGreaterThanOrEqualTo(stats.faults("fault-slow"))
                .isPositive();
        assertThat(retries(result)).isEqualTo(E2e.counter(result, "retries.timeout"));
    }

    static Stream<Arguments> faultsAndTheirCauses() {
        return Stream.of(
                Arguments.of(Fault.HTTP_500, "server_error", "server_error", 500),
                Arguments.of(Fault.HTTP_502, "server_error", "server_error", 502),
                Arguments.of(Fault.HTTP_503, "server_error", "server_error", 503),
                Arguments.of(Fault.HTTP_504, "server_error", "server_error", 504),
                Arguments.of(Fault.CONNECTION_RESET, "connection", "connection", null),
                // A JSON body that ends short of its Content-Length is a connection closed too early.
                Arguments.of(Fault.TRUNCATED_STREAM, "connection", "truncated_stream", null),
                Arguments.of(Fault.MALFORMED_JSON, "malformed", "malformed", null),
                Arguments.of(Fault.SLOW_RESPONSE, "timeout", "timeout", null));
    }

    @ParameterizedTest(name = "{0} on every attempt ends as {1} (JSON) or {2} (stream)")
    @MethodSource("faultsAndTheirCauses")
    void aFaultOnEveryAttemptEndsEachRequestAsOneErrorWithItsCauseAfterTheLastAttempt(
            Fault fault, String jsonCause, String streamCause, Integer status) throws Exception {
        RequestMix mix = RequestMix.valid(27);
        Path input = dir.resolve(fault.option() + ".jsonl");
        mix.writeTo(input);
        Path output = dir.resolve(fault.option() + "-out");
        String timeout = fault == Fault.SLOW_RESPONSE ? ATTEMPT_TIMEOUT : "endpoint.attempt-timeout=10s";

        JobExecutionResult result;
        EmulatorStats stats;
        EmulatorConfig.Builder config = EmulatorConfig.builder().slowResponseDelay(SLOW).fault(fault, 1.0);
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(config, dir)) {
            result = E2e.run(E2e.fileRun(input, output, emulator, timeout, "calls.max-attempts=3"),
                    emulator.baseUrl());
            stats = emulator.emulator().stats();
        }

        RunOutput out = RunOutput.read(output);
        E2e.assertEveryLineEndsOnce(mix, out, true);
        assertThat(out.results()).isEmpty();
        assertThat(out.errors()).hasSize(27).allSatisfy(r -> {
            boolean stream = mix.requests().get(str(r, "custom_id")).path("stream").asBoolean(false);
            assertThat(str(r, "error_type")).as("cause of %s", str(r, "input_line"))
                    .isEqualTo(stream ? streamCause : jsonCause);
            assertThat((Integer) r.get("http_status")).isEqualTo(status);
            assertThat((Integer) r.get("attempts")).isEqualTo(3);
            assertThat(str(r, "error_message")).contains("3 attempts");
        });
        assertThat(stats.faults(fault.option())).isEqualTo(27 * 3);
        assertThat(retries(result)).isEqualTo(27 * 2);
        long errorCounters = E2e.counter(result, "errors." + jsonCause)
                + (streamCause.equals(jsonCause) ? 0 : E2e.counter(result, "errors." + streamCause));
        assertThat(errorCounters).isEqualTo(27);
    }

    private static long retries(JobExecutionResult result) {
        return result.getAllAccumulatorResults().entrySet().stream()
                .filter(e -> e.getKey().startsWith("retries."))
                .mapToLong(e -> ((Number) e.getValue()).longValue())
                .sum();
    }

    private static long generationRequests(EmulatorStats stats) {
        return stats.requests("/serverless/v1/chat/completions") + stats.requests("/serverless/v1/completions")
                + stats.requests("/serverless/tools/v1/chat/completions");
    }
}
