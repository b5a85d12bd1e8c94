package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generate mode end to end against the embedded emulator. */
class GenerateModeTest {
    @TempDir
    Path dir;

    @Test
    void eachRowGetsNSamplesWithItsInputColumnsAndAReproducibleSeed() throws Exception {
        Path input = dir.resolve("rows.jsonl");
        Files.writeString(input, """
                {"topic": "tides", "level": 1, "tags": ["sea", "moon"]}
                {"topic": "volcanoes", "level": 2, "tags": ["earth"]}
                {"topic": "comets", "level": 3, "tags": []}
                """);
        Path output = dir.resolve("out");
        String yaml = """
                mode: generate
                generate:
                  input: %s
                  prompt: "Level {level} question about {topic}:"
                  n: 3
                  seed: 70
                  response-format: {type: json_schema, json_schema: {schema: {type: object, properties: {q: {type: string}}, required: [q]}}}
                  body: {max_tokens: 64}
                endpoint: {type: emulator}
                defaults: {model: m}
                output: {path: %s}
                """.formatted(input, output);
        assertThat(run(yaml)[0]).isEqualTo("0");

        List<String> rows = dataset(output);
        assertThat(rows).hasSize(9);
        assertThat(rows.get(0)).startsWith("tides|1|[sea, moon]|r000001#0|0|70|");
        assertThat(rows.get(2)).startsWith("tides|1|[sea, moon]|r000001#2|2|72|");
        assertThat(rows.get(8)).startsWith("comets|3|[]|r000003#2|2|72|");
        for (String row : rows) {
            String generation = row.split("\\|")[6];
            assertThat(generation).startsWith("{\"q\":");
        }
        // The schema is an object of one string: its field is a column too, beside the model and the usage.
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT generation, q, model, prompt_tokens, completion_tokens, "
                        + "total_tokens FROM read_parquet('" + output.resolve("dataset/dataset.parquet") + "')")) {
            int n = 0;
            while (rs.next()) {
                n++;
                assertThat(rs.getString(2)).isEqualTo(JSON.readTree(rs.getString(1)).get("q").asText());
                assertThat(rs.getString(3)).isEqualTo("m");
                assertThat(rs.getInt(4)).isPositive();
                assertThat(rs.getInt(5)).isPositive();
                assertThat(rs.getInt(6)).isEqualTo(rs.getInt(4) + rs.getInt(5));
            }
            assertThat(n).isEqualTo(9);
        }

        // The same configuration on a fresh output gives the same samples: seeds make them reproducible.
        String again = yaml.replace(output.toString(), dir.resolve("again").toString());
        assertThat(run(again)[0]).isEqualTo("0");
        assertThat(dataset(dir.resolve("again"))).isEqualTo(rows);
    }

    @Test
    void aTemplateNamingAMissingColumnFailsAtStartWithTheColumnsName() throws Exception {
        Path input = dir.resolve("rows.csv");
        Files.writeString(input, "topic,level\ntides,1\n");
        String[] result = run("""
                mode: generate
                generate:
                  input: %s
                  messages: [{role: user, content: "Explain {topic} to a {audience}."}]
                endpoint: {type: emulator}
                defaults: {model: m}
                output: {path: %s}
                """.formatted(input, dir.resolve("out")));
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[1]).contains("\"audience\"").contains("[topic, level]");
        assertThat(dir.resolve("out/results")).doesNotExist();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static List<String> dataset(Path output) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT topic, level, tags, custom_id, sample, seed, generation, "
                        + "finish_reason FROM read_parquet('" + output.resolve("dataset/dataset.parquet") + "')")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + "|" + rs.getLong(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                        + rs.getInt(5) + "|" + rs.getLong(6) + "|" + rs.getString(7) + "|" + rs.getString(8));
            }
        }
        return rows;
    }

    private String[] run(String yaml) throws Exception {
        Path config = dir.resolve("config-" + System.nanoTime() + ".yaml");
        Files.writeString(config, yaml);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BulkInferenceJob.run(new String[] {"--config", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .code();
        return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8)};
    }
}
