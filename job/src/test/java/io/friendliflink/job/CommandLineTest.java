package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.fault.Fault;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's entry point as a user calls it, {@code BulkInferenceJob.main}'s arguments and exit status, in this JVM:
 * each run starts its own local Flink cluster, exactly as {@code bin/run} does (no test cluster is registered).
 */
class CommandLineTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private ExitStatus run(String... args) {
        outBytes.reset();
        errBytes.reset();
        return BulkInferenceJob.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    private Path config(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "job", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static JsonNode summary(Path output) throws IOException {
        return JSON.readTree(output.resolve("_SUMMARY.json").toFile());
    }

    /** A quick file run against an emulator standing in for a serverless endpoint. */
    private String fileRun(Path input, Path output, E2e.TokenEmulator emulator) {
        return String.join("\n",
                "input: {path: " + input + "}",
                "endpoint: {type: serverless, base-url: \"" + emulator.baseUrl() + "\", token-file: "
                        + emulator.tokenFile() + ", attempt-timeout: 10s}",
                "calls: {capacity: 16, adaptive: false, initial-backoff: 5ms, max-backoff: 20ms}",
                "output: {path: " + output + "}",
                "run: {parallelism: 2, checkpoint-interval: 300ms, progress-interval: 10s}", "");
    }

    @Test
    void noArgumentsPrintsTheUsageAndExitsTwo() {
        assertThat(run()).isEqualTo(ExitStatus.INVALID);
        assertThat(err()).startsWith("usage: bin/run --config FILE").contains("Exit codes");
    }

    @Test
    void helpNamesTheModesEveryReadyConfigurationAndTheExitCodes() throws IOException {
        assertThat(run("--help")).isEqualTo(ExitStatus.FINISHED);

        assertThat(out()).contains("requests", "evaluate", "generate")
                .contains("0 finished", "3 finished, some lines failed", "1 failed", "2 the configuration", "130");
        try (Stream<Path> files = Files.list(REPO.resolve("conf"))) {
            for (Path file : files.toList()) {
                assertThat(out()).as("--help names %s", file.getFileName()).contains("conf/" + file.getFileName());
            }
        }
    }

    @Test
    void aKeyWrittenTwiceInTheFileIsRefused() throws IOException {
        Path file = config("output:\n  path: " + dir.resolve("out") + "\ncalls:\n  capacity: 8\ncalls:\n  capacity: 9\n");

        assertThat(run("--config", file.toString())).isEqualTo(ExitStatus.INVALID);
        assertThat(err()).contains("Duplicate field 'calls'");
    }

    @Test
    void inputMistakesAreRefusedBeforeAnythingRuns() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("requests.jsonl"), Files.readString(REPO.resolve("sample-data/requests.jsonl")));
        Path local = REPO.resolve("conf/local.yaml");

        assertThat(run("--config", local.toString(), "input.path=" + in, "output.path=" + in.resolve("out")))
                .isEqualTo(ExitStatus.INVALID);
        assertThat(err()).contains("output.path").contains("is inside input.path");

        Path parquet = dir.resolve("test.parquet");
        Files.copy(REPO.resolve("sample-data/mmlu/test.parquet"), parquet);
        assertThat(run("--config", local.toString(), "input.path=" + parquet, "output.path=" + dir.resolve("o1")))
                .isEqualTo(ExitStatus.INVALID);
        assertThat(err()).contains("Parquet").contains("mode: evaluate");

        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n  \n");
        assertThat(run("--config", local.toString(), "input.path=" + empty, "output.path=" + dir.resolve("o2")))
                .isEqualTo(ExitStatus.INVALID);
        assertThat(err()).contains("holds no request lines");

        assertThat(dir.resolve("o1")).doesNotExist();
        assertThat(dir.resolve("o2")).doesNotExist();
    }

    @Test
    void aServerlessRunWithoutItsTokenIsAConfigurationErrorBeforeFlinkStarts() throws IOException {
        String unset = "FRIENDLI_TOKEN_THAT_NO_ONE_SET_" + System.nanoTime();

        ExitStatus status = run("--config", REPO.resolve("conf/serverless.yaml").toString(),
                "input.path=" + REPO.resolve("sample-data/requests.jsonl"),
                "endpoint.token-env=" + unset, "output.path=" + dir.resolve("out"));

        assertThat(status).isEqualTo(ExitStatus.INVALID);
        assertThat(err()).contains("endpoint.token-env").contains(unset).contains("is not set")
                .contains("export " + unset);
        assertThat(out()).doesNotContain("Running");
        assertThat(err().lines().count()).as("one message, no stack traces").isLessThan(3);
    }

    @Test
    void anEndpointThatIsNotRunningStopsTheRunAtOnceWithExitOne() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Path token = Files.writeString(dir.resolve("token"), "flp_anything");

        ExitStatus status = run("--config", REPO.resolve("conf/serverless.yaml").toString(),
                "input.path=" + REPO.resolve("sample-data/requests.jsonl"),
                "endpoint.base-url=http://127.0.0.1:" + closedPort, "endpoint.token-file=" + token,
                "endpoint.token-env=", "output.path=" + dir.resolve("out"));

        assertThat(status).isEqualTo(ExitStatus.FAILED);
        assertThat(err()).contains("cannot reach the endpoint http://127.0.0.1:" + closedPort)
                .contains("Check endpoint.base-url");
        assertThat(out()).doesNotContain("Running");
    }

    @Test
    void refusedCredentialsStopTheRunEarlyWithExitOneAndAFailedSummary() throws Exception {
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            RequestMix mix = RequestMix.valid(300);
            Path input = dir.resolve("requests.jsonl");
            mix.writeTo(input);
            Path wrong = Files.writeString(dir.resolve("wrong-token"), "flp_wrong");
            Path output = dir.resolve("out");

            ExitStatus status = run("--config", config(fileRun(input, output, emulator)).toString(),
                    "endpoint.token-file=" + wrong, "calls.capacity=4");

            assertThat(status).isEqualTo(ExitStatus.FAILED);
            assertThat(err()).contains("Stopped: the endpoint refused the credentials").contains("401")
                    .contains("run the same command again").doesNotContain("flp_wrong");
            assertThat(emulator.emulator().stats().responses(401)).as("refusals before the stop")
                    .isLessThan(mix.requests().size() / 10);
            JsonNode summary = summary(output);
            assertThat(summary.path("status").asText()).isEqualTo("FAILED");
            assertThat(summary.path("exit_code").asInt()).isEqualTo(1);
            assertThat(summary.path("reason").asText()).contains("refused the credentials");
            Path report = output.resolve("_REPORT.html");
            assertThat(err()).contains("  report:  " + report);
            assertThat(Files.readString(report)).contains("FAILED (exit 1): ").contains("refused the credentials");
        }
    }

    @Test
    void aRerunWritesNoSecondRowForABadLineAndSendsNothingTwice() throws Exception {
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            RequestMix mix = RequestMix.withBadLines(120);
            Path input = dir.resolve("requests.jsonl");
            mix.writeTo(input);
            Path output = dir.resolve("out");
            Path job = config(fileRun(input, output, emulator));
            String share = "run.max-failed-share=1";

            assertThat(run("--config", job.toString(), share)).as(err()).isEqualTo(ExitStatus.FINISHED_WITH_ERRORS);
            RunOutput first = RunOutput.read(output);
            E2e.assertEveryLineEndsOnce(mix, first, true);
            long sent = emulator.emulator().stats().totalResponses();

            assertThat(run("--config", job.toString(), share)).as(err()).isEqualTo(ExitStatus.FINISHED_WITH_ERRORS);
            assertThat(run("--config", job.toString(), share)).as(err()).isEqualTo(ExitStatus.FINISHED_WITH_ERRORS);

            RunOutput third = RunOutput.read(output);
            E2e.assertEveryLineEndsOnce(mix, third, true);
            assertThat(third.errors()).hasSameSizeAs(first.errors());
            assertThat(emulator.emulator().stats().totalResponses()).as("requests sent by the reruns").isEqualTo(sent);
            JsonNode lines = summary(output).path("lines");
            assertThat(lines.path("skipped_done").asLong()).isEqualTo(mix.requests().size());
            assertThat(lines.path("skipped_failed").asLong()).isEqualTo(first.errors().size());
            assertThat(out()).contains("resumed: " + mix.lines().size() + " lines were already done");
            assertThat(first.errors()).allSatisfy(r -> assertThat(str(r, "source"))
                    .as("where the line was read").startsWith(input + ":"));
            List<GenericRecord> notJson = first.errorsOfType("invalid_json");
            assertThat(notJson).isNotEmpty().allSatisfy(r -> {
                int line = Integer.parseInt(str(r, "source").substring(input.toString().length() + 1));
                assertThat(mix.lines().get(line - 1)).isEqualTo(str(r, "input_line"));
            });
        }
    }

    @Test
    void aRerunAfterAnOutageSendsExactlyTheTransientFailuresAndLeavesOneRowPerLine() throws Exception {
        RequestMix mix = RequestMix.withBadLines(200);
        Path input = dir.resolve("requests.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("out");
        RunOutput first;
        try (E2e.TokenEmulator failing = E2e.TokenEmulator.start(EmulatorConfig.builder()
                .fault(Fault.HTTP_503, 0.4).fault(Fault.CONNECTION_RESET, 0.1), dir)) {
            assertThat(run("--config", config(fileRun(input, output, failing)).toString(),
                    "calls.max-attempts=1", "run.max-failed-share=1")).as(err()).isEqualTo(ExitStatus.FINISHED_WITH_ERRORS);
            first = RunOutput.read(output);
        }
        Set<String> transientIds = first.errors().stream()
                .filter(r -> Set.of("server_error", "connection").contains(str(r, "error_type")))
                .map(r -> str(r, "custom_id")).collect(Collectors.toSet());
        assertThat(transientIds).as("the outage failed some requests").hasSizeGreaterThan(20);
        long refusedRows = first.errors().size() - transientIds.size();

        try (E2e.TokenEmulator healthy = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            ExitStatus status = run("--config", config(fileRun(input, output, healthy)).toString(),
                    "run.max-failed-share=1");

            assertThat(status).as(err()).isEqualTo(ExitStatus.FINISHED_WITH_ERRORS);
            assertThat(out()).contains("Resuming: " + transientIds.size() + " lines that failed in an earlier run");
            assertThat(healthy.emulator().stats().totalResponses()).as("requests the rerun sent")
                    .isEqualTo(transientIds.size());
        }
        RunOutput second = RunOutput.read(output);
        E2e.assertEveryLineEndsOnce(mix, second, true);
        assertThat(second.resultsById().keySet()).containsAll(transientIds);
        assertThat(second.errors()).hasSize((int) refusedRows)
                .noneSatisfy(r -> assertThat(str(r, "error_type")).isIn("server_error", "connection"));
        try (Stream<Path> aside = Files.list(output.resolve("_superseded/errors"))) {
            assertThat(aside.toList()).as("the replaced error files, kept for the history").isNotEmpty();
        }
    }

    @Test
    void resultsAndErrorsAlwaysHoldAFileThatDuckDbReads() throws Exception {
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            RequestMix mix = RequestMix.valid(10);
            Path input = dir.resolve("requests.jsonl");
            mix.writeTo(input);
            Path output = dir.resolve("out");

            assertThat(run("--config", config(fileRun(input, output, emulator)).toString())).as(err())
                    .isEqualTo(ExitStatus.FINISHED);

            assertThat(out()).contains("Done in").contains("10 results, 0 errors");
            try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                    Statement st = db.createStatement()) {
                ResultSet errors = st.executeQuery("SELECT count(*), count(custom_id) FROM read_parquet('"
                        + output.resolve("errors") + "/*.parquet')");
                errors.next();
                assertThat(errors.getLong(1)).isZero();
                ResultSet results = st.executeQuery("SELECT count(*) FROM read_parquet('"
                        + output.resolve("results") + "/*.parquet')");
                results.next();
                assertThat(results.getLong(1)).isEqualTo(10);
            }
        }
    }

    @Test
    void perChoiceEvaluationAgainstAnEndpointWithoutTokenizeSaysToUseTopLogprobs() throws Exception {
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            ExitStatus status = run("--config", REPO.resolve("conf/evaluate.yaml").toString(),
                    "endpoint.type=openai-compatible", "endpoint.base-url=" + emulator.baseUrl() + "/v1",
                    "endpoint.token-file=" + emulator.tokenFile(),
                    "evaluate.input=" + REPO.resolve("sample-data/mmlu/test.parquet"),
                    "evaluate.few-shot.path=" + REPO.resolve("sample-data/mmlu/dev.parquet"),
                    "output.path=" + dir.resolve("out"));

            assertThat(status).isEqualTo(ExitStatus.INVALID);
            assertThat(err()).contains("no tokenize").contains("HTTP 404")
                    .contains("evaluate.method: top-logprobs");
        }
    }
}
