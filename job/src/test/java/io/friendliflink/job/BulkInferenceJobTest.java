package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command line: exit codes, messages, and a {@code _SUMMARY.json} that agrees with the Parquet output. */
class BulkInferenceJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = E2e.miniCluster();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        return BulkInferenceJob.run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8)).code();
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFinishedRunWithFailedLinesExitsThreeWithASummaryWhoseCountsAreTheParquetRows() throws Exception {
        RequestMix mix = RequestMix.withBadLines(80);
        Path input = dir.resolve("requests.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("out");
        Path config = dir.resolve("job.yaml");
        Files.writeString(config, String.join("\n",
                "input:",
                "  path: " + input,
                "endpoint:",
                "  type: emulator",
                "emulator:",
                "  time-to-first-token: 1ms",
                "  faults:",
                "    500: 0.3",
                "calls:",
                "  capacity: 16",
                "  adaptive: false",
                "  max-attempts: 2",
                "  initial-backoff: 5ms",
                "  max-backoff: 20ms",
                "output:",
                "  path: " + output,
                "run:",
                "  parallelism: 2",
                "  checkpoint-interval: 200ms",
                "  progress-interval: 100ms",
                "  restart-attempts: 0",
                "  max-failed-share: 0.5",
                ""));

        int exit = run("--config", config.toString(), "run.name=summary-test");

        assertThat(exit).as("exit code; stderr: %s", err()).isEqualTo(3);
        RunOutput rows = RunOutput.read(output);
        E2e.assertEveryLineEndsOnce(mix, rows, true);
        JsonNode summary = new ObjectMapper().readTree(output.resolve("_SUMMARY.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("FINISHED_WITH_ERRORS");
        assertThat(summary.path("exit_code").asInt()).isEqualTo(3);
        JsonNode lines = summary.path("lines");
        assertThat(lines.path("total").asLong()).isEqualTo(mix.lines().size());
        assertThat(lines.path("done").asLong()).isEqualTo(mix.lines().size());
        assertThat(lines.path("succeeded").asLong()).isEqualTo(rows.results().size());
        long sentAndFailed = rows.errors().stream().filter(r -> (Integer) r.get("attempts") > 0).count();
        assertThat(lines.path("failed").asLong()).isEqualTo(sentAndFailed);
        assertThat(lines.path("rejected").asLong()).isEqualTo(mix.linesWithoutId() + mix.rejectedWithId().size());
        assertThat(lines.path("duplicates").asLong()).isEqualTo(mix.duplicates().size());
        assertThat(lines.path("failed").asLong() + lines.path("rejected").asLong()
                + lines.path("duplicates").asLong()).isEqualTo(rows.errors().size())
                .isEqualTo(lines.path("without_result").asLong());
        long attempts = rows.results().stream().mapToLong(r -> (Integer) r.get("attempts")).sum()
                + rows.errors().stream().mapToLong(r -> (Integer) r.get("attempts")).sum();
        assertThat(summary.path("attempts").asLong()).isEqualTo(attempts);
        assertThat(summary.path("errors_by_type").path("server_error").asLong())
                .isEqualTo(rows.errorsOfType("server_error").size());
        assertThat(summary.path("retries_by_cause").path("server_error").asLong())
                .isEqualTo(attempts - mix.requests().size());
        long totalTokens = rows.results().stream()
                .filter(r -> r.get("usage") != null)
                .mapToLong(r -> (Integer) ((org.apache.avro.generic.GenericRecord) r.get("usage")).get("total_tokens"))
                .sum();
        assertThat(summary.path("tokens").path("total").asLong()).isEqualTo(totalTokens);
        assertThat(rows.errorsOfType("server_error"))
                .allSatisfy(r -> assertThat(str(r, "error_message")).contains("500"));
        assertThat(out()).contains("Embedded emulator listening on http://127.0.0.1:")
                .contains("Done in").contains(output.resolve("_SUMMARY.json").toString());
    }

    @Test
    void aWrongConfigurationExitsTwoWithAMessageNamingEachKey() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, String.join("\n",
                "input:",
                "  path: " + dir.resolve("no-such-file.jsonl"),
                "calls:",
                "  max-attempts: 0",
                "  max-backof: 5s",
                "output:",
                "  path: " + dir.resolve("out"),
                ""));

        int exit = run("--config", config.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("input.path").contains("no-such-file.jsonl")
                .contains("calls.max-attempts")
                .contains("calls.max-backof");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aMissingConfigurationFileAndASecretOnTheCommandLineExitTwo() throws Exception {
        assertThat(run("--config", dir.resolve("absent.yaml").toString())).isEqualTo(2);
        assertThat(err()).contains("absent.yaml").contains("does not exist");

        errBytes.reset();
        Path config = dir.resolve("ok.yaml");
        Files.writeString(config, "output:\n  path: " + dir.resolve("out") + "\n");
        assertThat(run("--config", config.toString(), "endpoint.token=flp_secret_value")).isEqualTo(2);
        assertThat(err()).contains("endpoint.token").doesNotContain("flp_secret_value");
    }
}
