package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.friendliflink.emulator.EmulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A told request limit split over four subtasks ({@code BudgetShare}: a quarter each), with the input's lines
 * unevenly spread over the subtasks by their ids' hashes, as a bounded run's are: the limit is used to the end
 * of the run, because the lines are dealt to the calling subtasks in turn, not by id, so no subtask runs out of
 * lines while another still has a queue. Measured at the emulator: its count of requests received, sampled
 * while the job runs.
 */
class BudgetShareEndToEndTest {
    private static final int PARALLELISM = 4;
    /** 80 requests a second in all, 20 for each subtask. */
    private static final int TOLD_PER_MINUTE = 4800;
    private static final int LINES = 600;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());

    @TempDir
    Path dir;

    @Test
    void aToldLimitIsUsedToTheEndOfABoundedRunWhoseIdsHashUnevenlyOverTheSubtasks() throws Exception {
        List<String> ids = new ArrayList<>();
        int[] byHash = new int[PARALLELISM];
        // 60% of the lines hash to subtask 0 (the rest as they fall): by id, subtask 0 would call for three
        // times as long as the others, which would leave three quarters of the limit unused meanwhile.
        for (int i = 0; ids.size() < LINES; i++) {
            String id = "line-" + i;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(id,
                    KeyGroupRangeAssignment.computeDefaultMaxParallelism(PARALLELISM), PARALLELISM);
            if (subtask == 0 ? byHash[0] < LINES * 6 / 10 : byHash[subtask] < LINES * 4 / 30) {
                byHash[subtask]++;
                ids.add(id);
            }
        }
        StringBuilder lines = new StringBuilder();
        for (String id : ids) {
            lines.append("{\"custom_id\": \"").append(id).append("\", \"url\": \"/v1/chat/completions\", \"body\": ")
                    .append("{\"model\": \"").append(RequestMix.MODEL).append("\", \"max_tokens\": 4, ")
                    .append("\"messages\": [{\"role\": \"user\", \"content\": \"Hi ").append(id).append("\"}]}}\n");
        }
        Path input = dir.resolve("skewed.jsonl");
        Files.writeString(input, lines);

        List<long[]> samples = new ArrayList<>();
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder().timeToFirstToken(Duration.ofMillis(1)), dir)) {
            AtomicBoolean running = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    samples.add(new long[] {System.nanoTime(), emulator.emulator().stats().totalRequests()});
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            try {
                E2e.run(E2e.fileRun(input, dir.resolve("out"), emulator,
                        "calls.requests-per-minute=" + TOLD_PER_MINUTE, "run.parallelism=" + PARALLELISM,
                        "run.checkpoint-interval=500ms"), emulator.baseUrl());
            } finally {
                running.set(false);
                sampler.join();
            }
        }

        Usage usage = Usage.of(samples, TOLD_PER_MINUTE / 60.0);
        System.out.printf(Locale.ROOT, "told %d/min over %d subtasks, %d lines (by hash %s): %s%n", TOLD_PER_MINUTE,
                PARALLELISM, LINES, java.util.Arrays.toString(byHash), usage);
        assertThat(usage.requests()).isEqualTo(LINES);
        assertThat(usage.lastStretch()).as("share of the told limit used in the run's last quarter: %s", usage)
                .isGreaterThan(0.75);
    }

    /**
     * How much of a told rate the requests used: from the first request to the last, and over the last quarter
     * of that time.
     */
    record Usage(long requests, double seconds, double whole, double lastStretch) {
        static Usage of(List<long[]> samples, double toldPerSecond) {
            long total = samples.get(samples.size() - 1)[1];
            long first = samples.stream().filter(s -> s[1] > 0).findFirst().orElseThrow()[0];
            long last = samples.stream().filter(s -> s[1] == total).findFirst().orElseThrow()[0];
            double seconds = (last - first) / 1e9;
            long stretchStart = last - (last - first) / 4;
            long before = samples.stream().filter(s -> s[0] <= stretchStart).reduce((a, b) -> b).orElseThrow()[1];
            double stretch = (last - stretchStart) / 1e9;
            return new Usage(total, seconds, total / (toldPerSecond * seconds),
                    (total - before) / (toldPerSecond * stretch));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d requests in %.1f s: %.1f%% of the told limit over the run, "
                    + "%.1f%% over its last quarter", requests, seconds, 100 * whole, 100 * lastStretch);
        }
    }
}
