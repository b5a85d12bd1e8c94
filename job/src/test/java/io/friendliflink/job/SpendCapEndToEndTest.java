package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.emulator.EmulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spending cap through the job's entry point: a capped run stops sending at the cap, within the documented
 * bound (the cap plus what the requests in flight when it is reached use: at most {@code calls.capacity} per
 * subtask), leaves {@code budget_exhausted} rows, and a rerun with a larger cap sends exactly those lines.
 */
class SpendCapEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LINES = 200;
    private static final int CAPACITY = 4;
    private static final int PARALLELISM = 2;
    private static final long CAP = 2_000;

    @TempDir
    Path dir;

    private final CapturedRun cli = new CapturedRun();

    /** Two models at different prices, so the cost is counted per model. */
    private static String model(int line) {
        return line % 2 == 0 ? "m" : "big";
    }

    @Test
    void aCappedRunStaysWithinTheBoundAndARerunWithALargerCapSendsTheRestOnce() throws Exception {
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            Path input = dir.resolve("requests.jsonl");
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < LINES; i++) {
                lines.append(String.format("{\"custom_id\":\"req-%03d\",\"method\":\"POST\",\"url\":\"/v1/completions\","
                        + "\"body\":{\"model\":\"%s\",\"prompt\":\"req-%03d tell a story about the sea\","
                        + "\"max_tokens\":16,\"min_tokens\":16}}%n", i, model(i), i));
            }
            Files.writeString(input, lines);
            Path output = dir.resolve("out");
            Path job = dir.resolve("job.yaml");
            Files.writeString(job, String.join("\n",
                    "input: {path: " + input + "}",
                    "endpoint: {type: serverless, base-url: \"" + emulator.baseUrl() + "\", token-file: "
                            + emulator.tokenFile() + ", attempt-timeout: 10s}",
                    "calls: {capacity: " + CAPACITY + ", adaptive: false, initial-backoff: 5ms, max-backoff: 20ms}",
                    "pricing: {input-per-million: 0.5, output-per-million: 2.0, models: {big: {input-per-million: 5,"
                            + " output-per-million: 20}}}",
                    "output: {path: " + output + "}",
                    "run: {parallelism: " + PARALLELISM + ", checkpoint-interval: 300ms, progress-interval: 10s}", ""));

            ExitStatus capped = cli.run("--config", job.toString(), "calls.max-total-tokens=" + CAP);

            assertThat(capped).as(cli.err()).isEqualTo(ExitStatus.BUDGET_EXHAUSTED);
            RunOutput first = RunOutput.read(output);
            long spent = 0;
            long largest = 0;
            Map<String, long[]> byModel = new TreeMap<>();
            for (GenericRecord r : first.results()) {
                GenericRecord usage = (GenericRecord) r.get("usage");
                long tokens = ((Number) usage.get("total_tokens")).longValue();
                spent += tokens;
                largest = Math.max(largest, tokens);
                long[] model = byModel.computeIfAbsent(model(Integer.parseInt(str(r, "custom_id").substring(4))),
                        m -> new long[2]);
                model[0] += ((Number) usage.get("prompt_tokens")).longValue();
                model[1] += ((Number) usage.get("completion_tokens")).longValue();
            }
            long bound = CAP + (long) PARALLELISM * CAPACITY * largest;
            assertThat(first.results()).as("the cap let some lines through").hasSizeGreaterThan(10);
            assertThat(spent).as("tokens of the capped run, bound %d", bound).isLessThanOrEqualTo(bound);
            assertThat(spent).as("the cap is used, not stopped at far below it").isGreaterThan(CAP / 2);
            assertThat(first.errors()).as("every other line is left unsent")
                    .hasSize(LINES - first.results().size())
                    .allSatisfy(r -> {
                        assertThat(str(r, "error_type")).isEqualTo("budget_exhausted");
                        assertThat((Integer) r.get("attempts")).isZero();
                    });
            assertThat(emulator.emulator().stats().totalResponses()).as("requests sent by the capped run")
                    .isEqualTo(first.results().size());
            JsonNode summary = JSON.readTree(output.resolve("_SUMMARY.json").toFile());
            assertThat(summary.path("status").asText()).isEqualTo("BUDGET_EXHAUSTED");
            assertThat(summary.path("exit_code").asInt()).isEqualTo(4);
            assertThat(summary.path("tokens").path("total").asLong()).isEqualTo(spent);
            JsonNode spending = summary.path("spending");
            long[] m = byModel.get("m");
            long[] big = byModel.get("big");
            double costM = (m[0] * 0.5 + m[1] * 2.0) / 1e6;
            double costBig = (big[0] * 5.0 + big[1] * 20.0) / 1e6;
            assertThat(spending.path("by_model").path("m").path("prompt_tokens").asLong()).isEqualTo(m[0]);
            assertThat(spending.path("by_model").path("big").path("completion_tokens").asLong()).isEqualTo(big[1]);
            assertThat(spending.path("by_model").path("m").path("cost").asDouble()).isCloseTo(costM, within(1e-6));
            assertThat(spending.path("by_model").path("big").path("cost").asDouble()).isCloseTo(costBig, within(1e-6));
            assertThat(spending.path("by_kind").path("completions").path("total_tokens").asLong()).isEqualTo(spent);
            assertThat(spending.path("cost").asDouble()).isCloseTo(costM + costBig, within(2e-6));
            assertThat(cli.out()).contains("spent:   " + spent + " tokens")
                    .contains("model big: ").contains("| tokens " + spent + " | cost ");
            assertThat(cli.out()).contains("Stopped at the spending cap")
                    .contains("larger calls.max-total-tokens");
            Set<String> unsent = new HashSet<>();
            first.errors().forEach(r -> unsent.add(str(r, "custom_id")));

            ExitStatus rerun = cli.run("--config", job.toString(), "calls.max-total-tokens=1000000");

            assertThat(rerun).as(cli.err()).isEqualTo(ExitStatus.FINISHED);
            assertThat(emulator.emulator().stats().totalResponses() - first.results().size())
                    .as("requests sent by the rerun").isEqualTo(unsent.size());
            RunOutput second = RunOutput.read(output);
            assertThat(second.errors()).isEmpty();
            Set<String> ids = second.resultsById().keySet(); // fails on a second row of one id
            assertThat(ids).hasSize(LINES).containsAll(unsent);
        }
    }
}
