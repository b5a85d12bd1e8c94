package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.testing.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/run} as a user starts it: a separate process, each ready configuration of {@code conf/}, a signal and
 * a {@code kill -9}. Runs after {@code package} (failsafe), so {@code bin/run} finds the job built and must start
 * it without calling Maven.
 */
class RunCommandIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SAMPLE = REPO.resolve("sample-data/requests.jsonl").toString();
    private static final int SAMPLE_LINES = 43;
    private static final int SAMPLE_REQUESTS = 39;

    @TempDir
    Path dir;

    /** A started {@code bin/run} and the files its output goes to. */
    record Launched(Process process, Path stdout, Path stderr) {
        String out() throws IOException {
            return Files.readString(stdout);
        }

        String err() throws IOException {
            return Files.readString(stderr);
        }

        Finished await() throws Exception {
            assertThat(process.waitFor(240, TimeUnit.SECONDS)).as("bin/run ended").isTrue();
            return new Finished(process.exitValue(), out(), err());
        }
    }

    /** A finished {@code bin/run}: its exit code and what it printed. */
    record Finished(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** {@code bin/run args} in the repository root, with a temp directory of its own and {@code env} added. */
    private Launched start(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve("bin/run").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile());
        pb.environment().putAll(env);
        pb.environment().put("JAVA_OPTS", "-Xmx768m -Djava.io.tmpdir=" + tempDir());
        long n = System.nanoTime();
        Path out = dir.resolve("stdout-" + n);
        Path err = dir.resolve("stderr-" + n);
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        return new Launched(pb.start(), out, err);
    }

    private Finished run(Map<String, String> env, String... args) throws Exception {
        return start(env, args).await();
    }

    private Path tempDir() throws IOException {
        return Files.createDirectories(dir.resolve("tmp"));
    }

    private static JsonNode summary(Path output) throws IOException {
        return JSON.readTree(output.resolve("_SUMMARY.json").toFile());
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(until);
            Thread.sleep(50);
        }
    }

    private static int committedRows(Path output) {
        try {
            RunOutput rows = RunOutput.read(output);
            return rows.results().size() + rows.errors().size();
        } catch (IOException e) {
            return 0; // a file being renamed while listed: ask again
        }
    }

    /** What every finished sample run shows: the rows, the summary, and where they are. */
    private static void assertSampleRun(Finished run, Path output) throws IOException {
        assertThat(run.exit()).as("%s", run).isEqualTo(3); // the sample's four bad lines, on purpose
        RunOutput rows = RunOutput.read(output);
        assertThat(rows.resultsById()).hasSize(SAMPLE_REQUESTS);
        assertThat(rows.errors()).hasSize(SAMPLE_LINES - SAMPLE_REQUESTS);
        assertThat(summary(output).path("status").asText()).isEqualTo("FINISHED_WITH_ERRORS");
        assertThat(run.out()).contains("Done in").contains(SAMPLE_REQUESTS + " results, 4 errors")
                .contains("results: " + output.resolve("results"))
                .contains("errors:  " + output.resolve("errors"))
                .contains("summary: " + output.resolve("_SUMMARY.json"));
        assertThat(run.out() + run.err()).as("no terminal escape codes, no build").doesNotContain("\u001b[")
                .doesNotContain("Building");
    }

    @Test
    void theQuickStartRunsWithoutCallingMavenLeavesNothingInTheTempDirectoryAndResumes() throws Exception {
        Path output = dir.resolve("local");

        Finished first = run(Map.of(), "--config", "conf/local.yaml", "output.path=" + output);

        assertSampleRun(first, output);
        try (Stream<Path> left = Files.list(tempDir())) {
            assertThat(left.toList()).as("left in the run's temp directory").isEmpty();
        }
        Finished again = run(Map.of(), "--config", "conf/local.yaml", "output.path=" + output);
        assertThat(again.exit()).as("%s", again).isEqualTo(3);
        assertThat(again.out()).contains("0 results, 0 errors").contains("resumed: 43 lines were already done");
        assertThat(RunOutput.read(output).errors()).as("no second row for a bad line").hasSize(4);
    }

    @Test
    void evaluateAndGenerateRunAsShipped() throws Exception {
        Path evaluation = dir.resolve("evaluate");
        Finished evaluate = run(Map.of(), "--config", "conf/evaluate.yaml", "output.path=" + evaluation);
        assertThat(evaluate.exit()).as("%s", evaluate).isZero();
        assertThat(evaluate.out()).contains("acc").contains("all ")
                .contains(evaluation.resolve("evaluation/report.json").toString());
        assertThat(evaluation.resolve("evaluation/report.json")).isRegularFile();

        Path dataset = dir.resolve("generate");
        Finished generate = run(Map.of(), "--config", "conf/generate.yaml", "output.path=" + dataset);
        assertThat(generate.exit()).as("%s", generate).isZero();
        assertThat(generate.out()).contains("dataset: " + dataset.resolve("dataset"));
    }

    @Test
    void kafkaRunsFromTheCommandLineAgainstARealBroker() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start()) {
            kafka.createTopic("requests", 4);
            kafka.send("requests", Files.readAllLines(Path.of(SAMPLE)).stream().filter(l -> !l.isBlank()).toList());
            Path output = dir.resolve("kafka");

            Finished run = run(Map.of(), "--config", "conf/kafka.yaml",
                    "input.kafka.bootstrap-servers=" + kafka.bootstrapServers(), "output.path=" + output);

            assertSampleRun(run, output);
            assertThat(RunOutput.read(output).errors()).allSatisfy(r ->
                    assertThat(RunOutput.str(r, "source")).matches("requests-[0-3]@\\d+"));
        }
    }

    @Test
    void serverlessDedicatedAndOpenAiCompatibleConfigurationsRunAgainstAnEndpointThatWantsAToken() throws Exception {
        try (E2e.TokenEmulator endpoint = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            Map<String, String> token = Map.of("FRIENDLI_TOKEN", endpoint.token());

            Path serverless = dir.resolve("serverless");
            assertSampleRun(run(token, "--config", "conf/serverless.yaml", "endpoint.base-url=" + endpoint.baseUrl(),
                    "output.path=" + serverless), serverless);
            assertThat(endpoint.emulator().stats().requests("/serverless/v1/chat/completions")).isPositive();

            Path dedicated = dir.resolve("dedicated");
            assertSampleRun(run(token, "--config", "conf/dedicated.yaml", "endpoint.base-url=" + endpoint.baseUrl(),
                    "output.path=" + dedicated), dedicated);
            assertThat(endpoint.emulator().stats().requests("/dedicated/v1/chat/completions")).isPositive();

            Path compatible = dir.resolve("openai-compatible");
            assertSampleRun(run(Map.of(), "--config", "conf/openai-compatible.yaml",
                    "endpoint.base-url=" + endpoint.baseUrl() + "/v1", "endpoint.token-file=" + endpoint.tokenFile(),
                    "output.path=" + compatible), compatible);
            assertThat(endpoint.emulator().stats().requests("/v1/chat/completions")).isPositive();
        }
    }

    @Test
    void sigtermStopsGracefullyAndTheRerunCompletesWithEveryIdOnceAndNothingSentTwice() throws Exception {
        try (E2e.TokenEmulator endpoint = E2e.TokenEmulator.start(EmulatorConfig.builder()
                .timeToFirstToken(Duration.ofMillis(300)).timePerOutputToken(Duration.ofMillis(20)), dir)) {
            RequestMix mix = RequestMix.valid(300);
            Path input = dir.resolve("requests.jsonl");
            mix.writeTo(input);
            Path output = dir.resolve("stopped");
            String[] args = {"--config", "conf/serverless.yaml", "input.path=" + input,
                "endpoint.base-url=" + endpoint.baseUrl(), "calls.requests-per-minute=0", "calls.capacity=8",
                "run.parallelism=2", "run.checkpoint-interval=1s",
                // Rows held between commits are committed by the stop's savepoint, or the rerun would send them.
                "output.commit-interval=3s", "output.path=" + output};
            Map<String, String> token = Map.of("FRIENDLI_TOKEN", endpoint.token());

            Launched running = start(token, args);
            waitFor("30 answers committed", () -> committedRows(output) >= 30);
            running.process().destroy(); // SIGTERM
            Finished stopped = running.await();

            assertThat(stopped.exit()).as("%s", stopped).isEqualTo(130);
            assertThat(stopped.err()).as("%s", stopped).contains("SIGTERM: stopping").doesNotContain("cancelling");
            assertThat(stopped.out()).contains("Run the same command again to resume");
            JsonNode summary = summary(output);
            assertThat(summary.path("status").asText()).isEqualTo("CANCELLED");
            assertThat(stopped.out()).contains("  report:  " + output.resolve("_REPORT.html"));
            assertThat(Files.readString(output.resolve("_REPORT.html")))
                    .contains("CANCELLED (exit 130): stopped by a signal");
            int committed = RunOutput.read(output).resultsById().size();
            assertThat(summary.path("lines").path("succeeded").asLong()).as("counts in the summary: %s", stopped)
                    .isGreaterThanOrEqualTo(committed);
            assertThat(committed).as("stopped before the end").isLessThan(mix.requests().size());

            Finished rerun = run(token, args);

            assertThat(rerun.exit()).as("%s", rerun).isZero();
            assertThat(RunOutput.read(output).resultsById().keySet())
                    .containsExactlyInAnyOrderElementsOf(mix.requestIds());
            assertThat(endpoint.emulator().stats().totalRequests())
                    .as("requests sent by both runs: what was answered before the stop was committed, not sent again")
                    .isEqualTo(mix.requests().size());
        }
    }

    @Test
    void killedWhileTheTailOfTheInputIsAnsweredTheRerunSendsOnlyWhatWasNotCommitted() throws Exception {
        // Every line is in flight at once (capacity over the line count), so the source has ended and the job
        // is in the tail; answers are spread over up to 10 s (over 6 s, a machine at a load average of 15 once
        // committed all 40 between seeing the fifth and the kill).
        try (E2e.TokenEmulator endpoint = E2e.TokenEmulator.start(EmulatorConfig.builder()
                .timeToFirstToken(Duration.ofSeconds(5)).jitter(1.0), dir)) {
            RequestMix mix = RequestMix.valid(40);
            Path input = dir.resolve("requests.jsonl");
            mix.writeTo(input);
            Path output = dir.resolve("killed");
            String[] args = {"--config", "conf/serverless.yaml", "input.path=" + input,
                "endpoint.base-url=" + endpoint.baseUrl(), "calls.requests-per-minute=0", "calls.capacity=64",
                "run.parallelism=1", "run.checkpoint-interval=500ms", "output.commit-interval=0s",
                "output.path=" + output};
            Map<String, String> token = Map.of("FRIENDLI_TOKEN", endpoint.token());

            Launched running = start(token, args);
            waitFor("some answers of the tail committed", () -> committedRows(output) >= 5);
            running.process().destroyForcibly(); // kill -9
            running.process().waitFor(30, TimeUnit.SECONDS);
            int committed = RunOutput.read(output).resultsById().size();
            long sentBeforeTheKill = endpoint.emulator().stats().totalRequests();
            assertThat(committed).as("killed before the end").isLessThan(mix.requests().size());

            Finished rerun = run(token, args);

            assertThat(rerun.exit()).as("%s", rerun).isZero();
            assertThat(RunOutput.read(output).resultsById().keySet())
                    .containsExactlyInAnyOrderElementsOf(mix.requestIds());
            assertThat(endpoint.emulator().stats().totalRequests() - sentBeforeTheKill).as("requests of the rerun")
                    .isEqualTo(mix.requests().size() - committed);
        }
    }
}
