package io.friendliflink.job;

import static io.friendliflink.job.RunOutput.str;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.emulator.EmulatorConfig;
import io.friendliflink.emulator.fault.Fault;
import io.friendliflink.job.pipeline.RunCounters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output as a data user reads it: OpenAI Batch output files beside the Parquet files, flat {@code text} and
 * {@code finish_reason} columns, and structured output checked against its schema.
 */
class OutputFilesEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = E2e.miniCluster();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    @Test
    void openAiBatchFilesHoldTheSameRowsAsTheParquetFilesOfTheRun() throws Exception {
        RequestMix mix = RequestMix.withBadLines(60);
        Path input = dir.resolve("mix.jsonl");
        mix.writeTo(input);
        Path output = dir.resolve("both-out");
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            E2e.run(E2e.fileRun(input, output, emulator, "output.format=parquet,openai"), emulator.baseUrl());
        }

        RunOutput parquet = RunOutput.read(output);
        E2e.assertEveryLineEndsOnce(mix, parquet, true);
        List<JsonNode> resultLines = jsonLines(output.resolve("openai/results"));
        List<JsonNode> errorLines = jsonLines(output.resolve("openai/errors"));
        assertThat(resultLines).as("OpenAI result lines").hasSize(parquet.results().size());
        assertThat(errorLines).as("OpenAI error lines").hasSize(parquet.errors().size());

        Map<String, GenericRecord> results = parquet.resultsById();
        for (JsonNode line : resultLines) {
            String id = line.path("custom_id").asText();
            GenericRecord row = results.get(id);
            assertThat(row).as("Parquet result of OpenAI line %s", id).isNotNull();
            assertThat(line.path("id").asText()).startsWith("batch_req_");
            assertThat(line.path("error").isNull()).as("%s error", id).isTrue();
            JsonNode response = line.path("response");
            assertThat(response.path("status_code").asInt()).isEqualTo((Integer) row.get("http_status"));
            assertThat(response.path("request_id").asText()).isEqualTo(str(row, "response_id"));
            JsonNode body = response.path("body");
            assertThat(body.isObject()).as("%s body is the response object, also for a stream", id).isTrue();
            // The run keeps every body (output.raw-response=all): the OpenAI line's body is that same answer.
            assertThat(body).as("%s body", id).isEqualTo(JSON.readTree(str(row, "response_json")));
            JsonNode first = body.path("choices").get(0);
            JsonNode text = first.has("message") ? first.path("message").path("content") : first.path("text");
            assertThat(text.isNull() ? null : text.asText()).as("%s text", id).isEqualTo(str(row, "text"));
            assertThat(first.path("finish_reason").asText()).isEqualTo(str(row, "finish_reason"));
        }

        Map<String, Integer> parquetErrors = new HashMap<>();
        for (GenericRecord r : parquet.errors()) {
            parquetErrors.merge(str(r, "custom_id") + "|" + str(r, "error_type") + "|" + str(r, "error_message"), 1,
                    Integer::sum);
        }
        Map<String, Integer> openAiErrors = new HashMap<>();
        for (JsonNode line : errorLines) {
            JsonNode id = line.path("custom_id");
            openAiErrors.merge((id.isNull() ? null : id.asText()) + "|" + line.path("error").path("code").asText()
                    + "|" + line.path("error").path("message").asText(), 1, Integer::sum);
            assertThat(line.has("response")).isTrue();
        }
        assertThat(openAiErrors).as("(custom_id, code, message) of the OpenAI error lines").isEqualTo(parquetErrors);
    }

    @Test
    void aRunOfThousandsOfRowsOverManyCheckpointsLeavesOnePartFilePerSubtaskAndFolder() throws Exception {
        Path input = dir.resolve("many.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add(line("m" + i, "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi " + i
                    + "\"}],\"max_tokens\":4,\"seed\":" + i + "}"));
        }
        lines.add("not json");
        Files.write(input, lines);
        Path output = dir.resolve("many-out");
        JobExecutionResult result;
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            // Checkpoints every 200 ms (E2e's runs): each used to close a file per subtask.
            result = E2e.run(E2e.fileRun(input, output, emulator, "output.format=parquet,openai"), emulator.baseUrl());
        }
        assertThat(E2e.counter(result, RunCounters.SUCCEEDED)).isEqualTo(3000);
        RunOutput out = RunOutput.read(output);
        assertThat(out.resultsById()).hasSize(3000);
        for (String folder : List.of("results", "errors", "openai/results", "openai/errors")) {
            assertThat(visible(output.resolve(folder))).as("part files in %s", folder)
                    .isNotEmpty().hasSizeLessThanOrEqualTo(E2e.PARALLELISM);
        }
    }

    @Test
    void resultsHaveTheFirstChoicesTextAndAStreamItsUsageAndAssembledJson() throws Exception {
        Path input = dir.resolve("columns.jsonl");
        Files.write(input, List.of(
                line("plain", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":8,\"seed\":1}"),
                line("streamed", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":8,\"seed\":1,"
                        + "\"stream\":true}"),
                line("no-usage", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":8,\"seed\":1,"
                        + "\"stream\":true,\"stream_options\":{\"include_usage\":false}}")));
        Path output = dir.resolve("columns-out");
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            // The documented default keeps no body in results rows.
            E2e.run(E2e.fileRun(input, output, emulator, "output.raw-response=errors"), emulator.baseUrl());
        }
        Map<String, GenericRecord> rows = RunOutput.read(output).resultsById();
        assertThat(rows).containsOnlyKeys("plain", "streamed", "no-usage");
        GenericRecord plain = rows.get("plain");
        GenericRecord streamed = rows.get("streamed");
        GenericRecord firstChoice = (GenericRecord) ((List<?>) plain.get("choices")).get(0);
        assertThat(str(plain, "text")).isNotEmpty().isEqualTo(str(firstChoice, "text"));
        assertThat(str(plain, "finish_reason")).isEqualTo(str(firstChoice, "finish_reason"));
        assertThat(str(streamed, "text")).as("the same body streamed").isEqualTo(str(plain, "text"));
        assertThat(streamed.get("usage")).as("usage of a stream the job asked for it").isNotNull()
                .isEqualTo(plain.get("usage"));
        assertThat(rows.get("no-usage").get("usage")).as("usage of a stream that declined it").isNull();
        assertThat(rows.values()).allSatisfy(r -> assertThat(r.get("response_json")).isNull());

        Path events = dir.resolve("events-out");
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            E2e.run(E2e.fileRun(input, events, emulator, "output.raw-response=all", "output.stream-events=true"),
                    emulator.baseUrl());
        }
        Map<String, GenericRecord> withEvents = RunOutput.read(events).resultsById();
        assertThat(str(withEvents.get("streamed"), "response_json")).startsWith("data:").contains("data: [DONE]");
        assertThat(JSON.readTree(str(withEvents.get("plain"), "response_json")).path("object").asText())
                .isEqualTo("chat.completion");
    }

    @Test
    void anAnswerOutsideTheSchemaIsRetriedThenWrittenAsInvalidOutput() throws Exception {
        Path input = dir.resolve("schema.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add(line("s" + i, schemaBody(i)));
            lines.add(line("p" + i, "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi " + i
                    + "\"}],\"max_tokens\":8,\"seed\":" + i + "}"));
        }
        Files.write(input, lines);
        Path output = dir.resolve("schema-out");
        JobExecutionResult result;
        // Every answer ignores its json_schema, as a server that does not enforce it would.
        EmulatorConfig.Builder ignoring = EmulatorConfig.builder().fault(Fault.INVALID_OUTPUT, 1.0);
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(ignoring, dir)) {
            result = E2e.run(E2e.fileRun(input, output, emulator, "calls.invalid-output-retries=2",
                    "output.raw-response=errors"), emulator.baseUrl());
        }
        RunOutput out = RunOutput.read(output);
        assertThat(out.resultsById()).as("requests without a schema are answered").containsOnlyKeys(
                "p0", "p1", "p2", "p3", "p4", "p5");
        Map<String, GenericRecord> errors = out.errorsById();
        assertThat(errors).containsOnlyKeys("s0", "s1", "s2", "s3", "s4", "s5");
        for (GenericRecord e : errors.values()) {
            assertThat(str(e, "error_type")).isEqualTo("invalid_output");
            assertThat((Integer) e.get("attempts")).as("the first attempt and 2 retries").isEqualTo(3);
            assertThat((Integer) e.get("http_status")).isEqualTo(200);
            assertThat(str(e, "error_message")).contains("does not match the json_schema")
                    .contains("required property 'answer' not found").contains("(after 3 attempts)");
            JsonNode body = JSON.readTree(str(e, "response_json"));
            assertThat(body.path("choices").get(0).path("message").path("content").asText())
                    .as("the refused answer is kept").startsWith("{");
        }
        assertThat(E2e.counter(result, RunCounters.RETRIES_PREFIX + "invalid_output")).isEqualTo(12);
        assertThat(E2e.counter(result, RunCounters.ERRORS_PREFIX + "invalid_output")).isEqualTo(6);

        // The same lines against an endpoint that keeps to the schema: every answer passes the check at once.
        Path faithful = dir.resolve("schema-faithful-out");
        try (E2e.TokenEmulator emulator = E2e.TokenEmulator.start(EmulatorConfig.builder(), dir)) {
            E2e.run(E2e.fileRun(input, faithful, emulator), emulator.baseUrl());
        }
        RunOutput good = RunOutput.read(faithful);
        assertThat(good.errors()).isEmpty();
        assertThat(good.results()).hasSize(12).allSatisfy(r -> assertThat((Integer) r.get("attempts")).isEqualTo(1));
        for (int i = 0; i < 6; i++) {
            JsonNode answer = JSON.readTree(str(good.resultsById().get("s" + i), "text"));
            assertThat(answer.has("answer") && answer.has("confidence")).as("s%d: %s", i, answer).isTrue();
        }
    }

    private static String schemaBody(int i) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("messages").addObject().put("role", "user").put("content", "Answer " + i + " in JSON.");
        body.put("max_tokens", 200).put("seed", i);
        ObjectNode schema = body.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                .putObject("schema");
        schema.put("type", "object").put("additionalProperties", false);
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("answer").put("type", "string");
        properties.putObject("confidence").put("type", "integer");
        schema.putArray("required").add("answer").add("confidence");
        return body.toString();
    }

    private static String line(String id, String body) {
        String withModel = "{\"model\":\"" + RequestMix.MODEL + "\"," + body.substring(1);
        return "{\"custom_id\":\"" + id + "\",\"url\":\"/v1/chat/completions\",\"body\":" + withModel + "}";
    }

    private static List<Path> visible(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
        }
    }

    /** Every line of the visible {@code .jsonl} files of {@code dir}, as a reader of the output sees them. */
    static List<JsonNode> jsonLines(Path dir) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
        for (Path file : files) {
            assertThat(file.getFileName().toString()).endsWith(".jsonl");
            for (String text : Files.readAllLines(file)) {
                lines.add(JSON.readTree(text));
            }
        }
        return lines;
    }
}
