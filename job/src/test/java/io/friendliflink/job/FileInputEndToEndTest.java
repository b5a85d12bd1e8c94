package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.job.config.JobConfig;
import io.friendliflink.operator.EndpointUnusableException;
import io.friendliflink.policy.FailFast;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole job on a mini cluster, from a JSONL file through a healthy emulator into Parquet. */
class FileInputEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = E2e.miniCluster();

    @TempDir
    static Path dir;

    private static E2e.TokenEmulator emulator;

    @BeforeAll
    static void startEmulator() throws Exception {
        emulator = E2e.TokenEmulator.start(EmulatorConfig.builder()
                .timeToFirstToken(Duration.ofMillis(2))
                .timePerOutputToken(Duration.ofMillis(1))
                .seed(7), dir);
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @Test
    void everyLineEndsAsExactlyOneRowAndResultsHoldWhatTheEmulatorAnswered() throws Exception {
        RequestMix mix = RequestMix.withBadLines(300);
        Path input = dir.resolve("mixed.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("mixed-out");

        JobExecutionResult result = E2e.run(E2e.fileRun(input, output, emulator), emulator.baseUrl());

        RunOutput out = RunOutput.read(output);
        E2e.assertEveryLineEndsOnce(mix, out, true);
        assertThat(out.resultsById().keySet()).as("a healthy endpoint answers every valid request")
                .containsExactlyInAnyOrderElementsOf(mix.requestIds());
        assertThat(out.results()).allSatisfy(r -> assertThat((Integer) r.get("attempts")).isEqualTo(1));
        emulator.answers().assertResultsMatch(mix.sent(out.errorsOfType("duplicate_custom_id")), out.resultsById());

        assertThat(E2e.counter(result, "succeeded")).isEqualTo(mix.requests().size());
        assertThat(E2e.counter(result, "failed")).isZero();
        assertThat(E2e.counter(result, "lines_rejected"))
                .isEqualTo(mix.linesWithoutId() + mix.rejectedWithId().size());
        assertThat(E2e.counter(result, "duplicates")).isEqualTo(mix.duplicates().size());
        long totalTokens = out.results().stream()
                .mapToLong(r -> r.get("usage") == null ? 0
                        : (Integer) ((org.apache.avro.generic.GenericRecord) r.get("usage")).get("total_tokens"))
                .sum();
        assertThat(E2e.counter(result, "total_tokens")).isEqualTo(totalTokens).isPositive();
    }

    @Test
    void aRefusedTokenStopsTheRunAfterAFewAnswersWithoutRestartsAndWithoutGrindingThroughTheInput() throws Exception {
        RequestMix mix = RequestMix.valid(400);
        Path input = dir.resolve("refused.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("refused-out");
        Path wrongToken = dir.resolve("wrong-token.txt");
        Files.writeString(wrongToken, "flp_not_the_emulators_token");
        // Restarts allowed and a small capacity: a recoverable failure would restart and send the lines again.
        JobConfig config = E2e.fileRun(input, output, emulator, "endpoint.token-file=" + wrongToken,
                "calls.capacity=4", "run.restart-attempts=3", "run.restart-delay=0s");
        long before = emulator.emulator().stats().responses(401);

        assertThatThrownBy(() -> E2e.run(config, emulator.baseUrl()))
                .satisfies(failure -> {
                    EndpointUnusableException unusable = EndpointUnusableException.findIn(failure);
                    assertThat(unusable).as("the failure's cause").isNotNull();
                    assertThat(unusable.getMessage()).contains("refused the credentials").contains("401")
                            .contains("endpoint.token-env or endpoint.token-file")
                            .doesNotContain("flp_not_the_emulators_token");
                });

        long refused = emulator.emulator().stats().responses(401) - before;
        // Each of the 2 subtasks stops after 5 refusals; at most its 4 calls in flight were on the wire then.
        assertThat(refused).as("401s answered").isBetween(5L, 2L * (FailFast.DEFAULT_REFUSALS + 4));
    }
}
