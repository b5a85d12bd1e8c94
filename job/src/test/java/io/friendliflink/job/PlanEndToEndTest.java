package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.fault.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --plan} through the job's entry point: its counts by outcome are those of the real run that follows on
 * the same input, for a first run (lines to send, bad lines, repeated ids) and for a rerun (lines already done by
 * the first, with a result or with an error row kept), and it sends nothing.
 */
class PlanEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final CapturedRun cli = new CapturedRun();

    @Test
    void thePlansCountsAreThoseOfTheRunThatFollows() throws Exception {
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            RequestMix mix = RequestMix.withBadLines(120);
            Path input = dir.resolve("requests.jsonl");
            mix.writeTo(input);
            Path output = dir.resolve("out");
            Path job = dir.resolve("job.yaml");
            Files.writeString(job, String.join("\n",
                    "input: {path: " + input + "}",
                    "endpoint: {type: serverless, base-url: \"" + emulator.baseUrl() + "\", token-file: "
                            + emulator.tokenFile() + ", attempt-timeout: 10s}",
                    "calls: {capacity: 16, adaptive: false, initial-backoff: 5ms, max-backoff: 20ms,"
                            + " requests-per-minute: 6000}",
                    "pricing: {input-per-million: 0.1, output-per-million: 0.4}",
                    "output: {path: " + output + "}",
                    "run: {parallelism: 2, checkpoint-interval: 300ms, progress-interval: 10s, max-failed-share: 1}",
                    ""));

            assertThat(cli.run("--config", job.toString(), "--plan")).as(cli.err()).isEqualTo(ExitStatus.FINISHED);
            JsonNode first = JSON.readTree(output.resolve("_PLAN.json").toFile());
            assertThat(emulator.emulator().stats().totalRequests()).as("requests sent by the plan").isZero();
            assertThat(first.path("lines").path("would_send").asLong()).as("the mix's requests")
                    .isEqualTo(mix.requests().size());
            assertThat(first.path("tokens").path("prompt_method").asText()).isEqualTo("estimated");
            assertThat(first.path("tokens").path("prompt").asLong()).isPositive();
            assertThat(first.path("cost").path("total").asDouble()).isPositive();
            assertThat(first.path("duration").path("seconds").asDouble())
                    .isEqualTo(Math.round(mix.requests().size() / 6000.0 * 60 * 10) / 10.0);
            assertThat(cli.out()).contains("Plan for " + input + " (nothing sent)");

            assertThat(cli.run("--config", job.toString())).as(cli.err()).isEqualTo(ExitStatus.FINISHED_WITH_ERRORS);
            assertSameOutcomes(first, JSON.readTree(output.resolve("_SUMMARY.json").toFile()));

            // A rerun on more lines: those done by the first run are skipped, with a result or an error kept.
            List<String> more = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                more.add("{\"custom_id\":\"more-" + i + "\",\"url\":\"/v1/completions\",\"method\":\"POST\","
                        + "\"body\":{\"model\":\"" + RequestMix.MODEL + "\",\"prompt\":\"Count to " + i
                        + "\",\"max_tokens\":8}}");
            }
            more.add("{\"custom_id\":\"more-1\",\"url\":\"/v1/completions\",\"body\":{}}");
            Files.write(input, more, StandardOpenOption.APPEND);
            long sentBefore = emulator.emulator().stats().totalRequests();

            assertThat(cli.run("--config", job.toString(), "--plan")).as(cli.err()).isEqualTo(ExitStatus.FINISHED);
            JsonNode second = JSON.readTree(output.resolve("_PLAN.json").toFile());
            assertThat(emulator.emulator().stats().totalRequests()).isEqualTo(sentBefore);
            assertThat(second.path("lines").path("would_send").asLong()).isEqualTo(30);
            assertThat(second.path("lines").path("already_done_with_error").asLong()).isPositive();

            assertThat(cli.run("--config", job.toString())).as(cli.err()).isEqualTo(ExitStatus.FINISHED_WITH_ERRORS);
            assertSameOutcomes(second, JSON.readTree(output.resolve("_SUMMARY.json").toFile()));
        }
    }

    @Test
    void afterAnOutageThePlanSendsAgainWhatTheRerunSendsAgain() throws Exception {
        RequestMix mix = RequestMix.withBadLines(120);
        Path input = dir.resolve("requests.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("out");
        try (E2e.TokenEmulator failing = E2e.TokenEmulator.start(EmulatorConfig.builder()
                .fault(Fault.HTTP_503, 0.4), dir)) {
            assertThat(cli.run("--config", job(input, output, failing).toString(), "calls.max-attempts=1"))
                    .as(cli.err()).isEqualTo(ExitStatus.FINISHED_WITH_ERRORS);
        }
        try (E2e.TokenEmulator healthy = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            Path job = job(input, output, healthy);

            assertThat(cli.run("--config", job.toString(), "--plan")).as(cli.err()).isEqualTo(ExitStatus.FINISHED);
            JsonNode plan = JSON.readTree(output.resolve("_PLAN.json").toFile());
            long again = plan.path("lines").path("would_send_again").asLong();
            assertThat(again).as("lines the outage failed").isPositive()
                    .isEqualTo(plan.path("lines").path("would_send").asLong());

            assertThat(cli.run("--config", job.toString())).as(cli.err()).isEqualTo(ExitStatus.FINISHED_WITH_ERRORS);
            assertThat(cli.out()).contains("Resuming: " + again + " lines that failed");
            assertSameOutcomes(plan, JSON.readTree(output.resolve("_SUMMARY.json").toFile()));
        }
    }

    private Path job(Path input, Path output, E2e.TokenEmulator emulator) throws java.io.IOException {
        return Files.writeString(Files.createTempFile(dir, "job", ".yaml"), String.join("\n",
                "input: {path: " + input + "}",
                "endpoint: {type: serverless, base-url: \"" + emulator.baseUrl() + "\", token-file: "
                        + emulator.tokenFile() + ", attempt-timeout: 10s}",
                "calls: {capacity: 16, adaptive: false, initial-backoff: 5ms, max-backoff: 20ms}",
                "output: {path: " + output + "}",
                "run: {parallelism: 2, checkpoint-interval: 300ms, progress-interval: 10s, max-failed-share: 1}", ""));
    }

    @Test
    void withTokenizeThePlanSendsOnlyTokenizeCallsEachDistinctPromptOnce() throws Exception {
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                lines.add("{\"custom_id\":\"t-" + i + "\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\""
                        + RequestMix.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Question number "
                        + (i % 10) + " about the sea\"}],\"max_tokens\":10,\"n\":2}}");
            }
            Path input = Files.write(dir.resolve("t.jsonl"), lines);
            Path output = dir.resolve("t-out");
            Path job = Files.writeString(dir.resolve("t.yaml"), String.join("\n",
                    "input: {path: " + input + "}",
                    "endpoint: {type: serverless, base-url: \"" + emulator.baseUrl() + "\", token-file: "
                            + emulator.tokenFile() + "}",
                    "output: {path: " + output + "}", ""));

            assertThat(cli.run("--config", job.toString(), "--plan", "--tokenize")).as(cli.err()).isEqualTo(ExitStatus.FINISHED);

            JsonNode plan = JSON.readTree(output.resolve("_PLAN.json").toFile());
            assertThat(plan.path("tokens").path("prompt_method").asText()).isEqualTo("tokenized");
            assertThat(plan.path("tokens").path("prompt").asLong()).isPositive();
            assertThat(plan.path("tokens").path("output_bound").asLong()).as("max_tokens times n").isEqualTo(20 * 10 * 2);
            assertThat(emulator.emulator().stats().totalRequests()).as("requests: tokenize only, each prompt once")
                    .isEqualTo(10);
            assertThat(cli.out()).contains("tokenize calls: 10");
            assertThat(output.resolve("results")).doesNotExist();

            // Planned again: the counts come from the cache, no prompt text is kept in it.
            assertThat(cli.run("--config", job.toString(), "--plan", "--tokenize")).as(cli.err()).isEqualTo(ExitStatus.FINISHED);
            assertThat(emulator.emulator().stats().totalRequests()).as("requests of the second plan").isEqualTo(10);
            assertThat(JSON.readTree(output.resolve("_PLAN.json").toFile()).path("tokens").path("prompt").asLong())
                    .isEqualTo(plan.path("tokens").path("prompt").asLong());
            assertThat(Files.readString(output.resolve("_PLAN_TOKENS.tsv"))).doesNotContain("about the sea");
        }
    }

    private static void assertSameOutcomes(JsonNode plan, JsonNode summary) {
        JsonNode planned = plan.path("lines");
        JsonNode lines = summary.path("lines");
        assertThat(planned.path("total").asLong()).as("lines").isEqualTo(lines.path("total").asLong());
        assertThat(planned.path("would_send").asLong()).as("lines sent")
                .isEqualTo(lines.path("succeeded").asLong() + lines.path("failed").asLong());
        assertThat(planned.path("rejected").asLong()).as("lines rejected")
                .isEqualTo(lines.path("rejected").asLong() + lines.path("duplicates").asLong());
        assertThat(planned.path("already_done_with_result").asLong()).as("lines done with a result")
                .isEqualTo(lines.path("skipped_done").asLong());
        assertThat(planned.path("already_done_with_error").asLong()).as("lines done with an error kept")
                .isEqualTo(lines.path("skipped_failed").asLong());
        Map<String, Long> rejectedByType = new TreeMap<>();
        planned.path("rejected_by_type").fields().forEachRemaining(e -> rejectedByType.put(e.getKey(), e.getValue().asLong()));
        Map<String, Long> errorsByType = new TreeMap<>();
        summary.path("errors_by_type").fields().forEachRemaining(e -> errorsByType.put(e.getKey(), e.getValue().asLong()));
        assertThat(rejectedByType).as("rejected lines by type").isEqualTo(errorsByType);
    }
}
