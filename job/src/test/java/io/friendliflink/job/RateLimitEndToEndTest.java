package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.EmulatorStats;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job, with its own pacing off, against an emulator whose request limit is far below the job's pace: a
 * storm of {@code 429}s. The emulator's limit counts over a one-second window (instead of the API's minute),
 * so the spent limit refills within the test's few seconds.
 */
class RateLimitEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = E2e.miniCluster();

    private static final int PER_WINDOW = 20;
    private static final int REQUESTS = 60;

    @TempDir
    Path dir;

    private static EmulatorConfig.Builder limited(boolean retryAfter) {
        return EmulatorConfig.builder()
                .requestsPerMinute(PER_WINDOW)
                .rateLimitWindow(Duration.ofSeconds(1))
                .retryAfter(retryAfter);
    }

    /** What one run of {@link #REQUESTS} valid lines against the limited emulator left behind. */
    private record Storm(RequestMix mix, RunOutput out, JobExecutionResult result, EmulatorStats stats) {}

    private Storm storm(boolean retryAfter, int maxAttempts) throws Exception {
        RequestMix mix = RequestMix.valid(REQUESTS);
        Path input = dir.resolve("storm.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("out");

        JobExecutionResult result;
        EmulatorStats stats;
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(limited(retryAfter), dir)) {
            result = E2e.run(E2e.fileRun(input, output, emulator, "calls.max-attempts=" + maxAttempts),
                    emulator.baseUrl());
            stats = emulator.emulator().stats();
        }
        return new Storm(mix, RunOutput.read(output), result, stats);
    }

    @Test
    void aStormOf429sWithoutRetryAfterEndsWithEveryRequestInResults() throws Exception {
        Storm storm = storm(false, 1000);
        RequestMix mix = storm.mix();
        RunOutput out = storm.out();
        JobExecutionResult result = storm.result();
        EmulatorStats stats = storm.stats();
        E2e.assertEveryLineEndsOnce(mix, out, true);
        assertThat(out.errors()).isEmpty();
        assertThat(stats.responses(429)).as("429s of the emulator").isGreaterThan(REQUESTS);
        assertThat(E2e.counter(result, "retries.rate_limited")).as("every 429 retried")
                .isEqualTo(stats.responses(429));
        assertThat(E2e.counter(result, "attempts")).isEqualTo(REQUESTS + stats.responses(429));
    }

    @Test
    void aStormOf429sWithRetryAfterEndsWithEveryRequestInResultsAfterWaitingAsTold() throws Exception {
        Storm storm = storm(true, 20);
        RequestMix mix = storm.mix();
        RunOutput out = storm.out();
        JobExecutionResult result = storm.result();
        EmulatorStats stats = storm.stats();
        E2e.assertEveryLineEndsOnce(mix, out, true);
        assertThat(out.errors()).isEmpty();
        assertThat(stats.responses(429)).isPositive();
        assertThat(E2e.counter(result, "retries.rate_limited")).isEqualTo(stats.responses(429));
        // Retry-After is whole seconds, at least 1: a retried request waited that long before each retry.
        assertThat(out.results()).filteredOn(r -> (Integer) r.get("attempts") > 1).isNotEmpty()
                .allSatisfy(r -> assertThat((Long) r.get("total_ms"))
                        .isGreaterThanOrEqualTo(990L * ((Integer) r.get("attempts") - 1)));
        // Waiting as told, not hammering: far fewer 429s than without Retry-After's one-second waits.
        assertThat(stats.responses(429)).isLessThan(3L * REQUESTS);
    }

    @Test
    void whenAttemptsRunOutUnderA429StormTheRequestEndsAsRateLimitedWithItsAttempts() throws Exception {
        Storm storm = storm(false, 2);
        RequestMix mix = storm.mix();
        RunOutput out = storm.out();
        JobExecutionResult result = storm.result();
        EmulatorStats stats = storm.stats();
        E2e.assertEveryLineEndsOnce(mix, out, true);
        assertThat(out.results()).as("admitted requests").isNotEmpty();
        assertThat(out.errors()).as("requests refused twice").isNotEmpty().allSatisfy(r -> {
            assertThat(str(r, "error_type")).isEqualTo("rate_limited");
            assertThat((Integer) r.get("http_status")).isEqualTo(429);
            assertThat((Integer) r.get("attempts")).isEqualTo(2);
            assertThat(str(r, "error_message")).contains("429").contains("Rate limit exceeded");
        });
        assertThat(out.results()).allSatisfy(r -> assertThat((Integer) r.get("attempts")).isBetween(1, 2));
        long refusedAndRetried = out.results().stream().filter(r -> (Integer) r.get("attempts") == 2).count();
        assertThat(stats.responses(429)).as("two 429s per error, one per result that needed a second attempt")
                .isEqualTo(2L * out.errors().size() + refusedAndRetried);
        assertThat(E2e.counter(result, "errors.rate_limited")).isEqualTo(out.errors().size());
        assertThat(stats.responses(200)).isEqualTo(out.results().size());
    }
}
