package io.friendliflink.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.RequestCheck;
import io.friendliflink.emulator.model.GeneratedToken;
import io.friendliflink.emulator.model.TinyLanguageModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each preset end to end, as {@code bin/run} runs it, over its sample data against the embedded emulator.
 *
 * <p>Apart from the job: the sample rows are read with DuckDB, each question's right answer and
 * {@code doc_to_choice} strings are derived here from the harness's task files (named per task below), each
 * choice's score is asked of the emulator's model for the prompt and forced tokens the job sent, and
 * {@code acc}, {@code acc_norm} ({@code len(choice)}), {@code acc_bytes} and their standard errors are computed
 * here as {@code lm_eval/api/task.py} and {@code lm_eval/api/metrics.py} do.
 */
class TaskPresetsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "meta-llama-3.1-8b-instruct";
    private final TinyLanguageModel model = new TinyLanguageModel();

    @TempDir
    Path dir;

    /** What the harness's task makes of a row: its {@code doc_to_choice} strings and the right one. */
    record Expected(List<String> choices, int gold, boolean choicesAreContexts, String target) {}

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "arc_easy, test, train, 2, arc_easy@1.0",
        "arc_challenge, test, train, 2, arc_challenge@1.0",
        "hellaswag, validation, train, 2, hellaswag@1.0",
        "piqa, validation, train, 2, piqa@1.0",
        "openbookqa, test, train, 2, openbookqa@1.0",
        "truthfulqa_mc1, validation, , 0, truthfulqa_mc1@2.0",
        "winogrande, validation, train, 2, winogrande@1.0"})
    void presetRunsOnItsSampleDataAndReportsTheHarnessMetricsOfTheScoresItAskedFor(String task, String split,
            String fewShotSplit, int k, String promptVersion) throws Exception {
        Path data = Path.of("..", "sample-data", task);
        Path output = dir.resolve("out");
        String fewShot = fewShotSplit == null ? "" : "  few-shot: {path: %s, k: %d}\n".formatted(
                data.resolve(fewShotSplit + ".parquet"), k);
        Run run = run("""
                mode: evaluate
                evaluate:
                  task: %s
                  input: %s
                %sendpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                run: {parallelism: 2, checkpoint-interval: 1s}
                """.formatted(task, data.resolve(split + ".parquet"), fewShot, MODEL, output));
        assertThat(run.exitCode).as(run.err).isZero();

        List<Expected> expected = expected(task, data.resolve(split + ".parquet"));
        Map<String, JsonNode> requests = new HashMap<>();
        for (String line : Files.readAllLines(output.resolve("_requests/requests.jsonl"))) {
            JsonNode r = JSON.readTree(line);
            requests.put(r.get("custom_id").asText(), r.get("body"));
        }
        assertThat(requests).hasSize(expected.stream().mapToInt(e -> e.choices().size()).sum());

        Map<String, List<Double>> reported = new HashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, scores, failed FROM read_parquet('"
                        + output.resolve("evaluation/questions.parquet") + "')")) {
            while (rs.next()) {
                assertThat(rs.getBoolean(3)).isFalse();
                List<Double> s = new ArrayList<>();
                for (Object o : (Object[]) rs.getArray(2).getArray()) {
                    s.add(((Number) o).doubleValue());
                }
                reported.put(rs.getString(1), s);
            }
        }

        double[] acc = new double[expected.size()];
        double[] accNorm = new double[expected.size()];
        double[] accBytes = new double[expected.size()];
        for (int i = 0; i < expected.size(); i++) {
            String id = String.format(Locale.ROOT, "q%06d", i + 1);
            Expected e = expected.get(i);
            double[] lls = new double[e.choices().size()];
            double[] byChars = new double[lls.length];
            double[] byBytes = new double[lls.length];
            for (int c = 0; c < lls.length; c++) {
                JsonNode body = requests.get(id + "#" + c);
                String prompt = body.get("prompt").asText();
                String continuation = model.detokenize(ids(body.get("forced_output_tokens")));
                // the harness's pair, after _encode_pair moved trailing whitespace of the context
                String choice = e.choices().get(c);
                if (e.choicesAreContexts()) {
                    assertThat(prompt).endsWith(choice);
                    assertThat(continuation).isEqualTo(" " + e.target());
                } else {
                    assertThat((prompt + continuation)).endsWith(" " + choice);
                    assertThat(continuation.strip()).isEqualTo(choice.strip());
                }
                lls[c] = forcedScore(body);
                byChars[c] = lls[c] / choice.codePointCount(0, choice.length());
                byBytes[c] = lls[c] / choice.getBytes(StandardCharsets.UTF_8).length;
            }
            assertThat(reported.get(id)).as(id).containsExactly(box(lls));
            acc[i] = argmax(lls) == e.gold() ? 1 : 0;
            accNorm[i] = argmax(byChars) == e.gold() ? 1 : 0;
            accBytes[i] = argmax(byBytes) == e.gold() ? 1 : 0;
        }

        JsonNode report = JSON.readTree(output.resolve("evaluation/report.json").toFile());
        assertThat(report.get("task").asText()).isEqualTo(task);
        assertThat(report.get("prompt_version").asText()).isEqualTo(promptVersion);
        assertThat(report.get("k").asInt()).isEqualTo(k);
        assertThat(report.get("model").asText()).isEqualTo(MODEL);
        assertThat(report.at("/overall/questions").asInt()).isEqualTo(expected.size());
        assertThat(report.at("/overall/failed").asInt()).isZero();
        assertThat(report.at("/subjects/" + task + "/questions").asInt()).isEqualTo(expected.size());
        assertMetric(report, "acc", acc);
        assertMetric(report, "acc_norm", accNorm);
        assertMetric(report, "acc_bytes", accBytes);
        assertThat(run.out).contains("task " + task + ", prompt " + promptVersion + ", k=" + k + ", model " + MODEL)
                .contains("acc_norm_stderr");
    }

    private static void assertMetric(JsonNode report, String name, double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double stderr = Math.sqrt(squares / (values.length - 1)) / Math.sqrt(values.length);
        assertThat(report.at("/overall/" + name).asDouble()).as(name).isCloseTo(mean, within(1e-12));
        assertThat(report.at("/overall/" + name + "_stderr").asDouble()).as(name + "_stderr")
                .isCloseTo(stderr, within(1e-12));
    }

    // ---- the harness's doc_to_choice and gold, from the task files, over rows read by DuckDB ----

    private static List<Expected> expected(String task, Path file) throws Exception {
        String select = switch (task) {
            // lm_eval/tasks/arc/arc_easy.yaml: choices.text, choices.label.index(answerKey)
            case "arc_easy", "arc_challenge" -> "SELECT choices.text, choices.label, answerKey";
            // lm_eval/tasks/openbookqa/openbookqa.yaml: choices.text, choices.label.index(answerKey.lstrip())
            case "openbookqa" -> "SELECT choices.text, choices.label, answerKey";
            // lm_eval/tasks/hellaswag/utils.py: preprocess(ending) per ending, int(label)
            case "hellaswag" -> "SELECT endings, label";
            // lm_eval/tasks/piqa/piqa.yaml: [sol1, sol2], label
            case "piqa" -> "SELECT [sol1, sol2], label";
            // lm_eval/tasks/truthfulqa/truthfulqa_mc1.yaml: mc1_targets.choices, 0
            case "truthfulqa_mc1" -> "SELECT mc1_targets.choices, 0";
            // lm_eval/tasks/winogrande/preprocess_winogrande.py
            default -> "SELECT sentence, option1, option2, answer";
        };
        List<Expected> out = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(select + " FROM read_parquet('" + file + "')")) {
            while (rs.next()) {
                out.add(switch (task) {
                    case "arc_easy", "arc_challenge", "openbookqa" -> {
                        List<String> labels = strings(rs.getArray(2));
                        String key = task.equals("openbookqa") ? rs.getString(3).replaceAll("^\\s+", "")
                                : rs.getString(3);
                        yield new Expected(strings(rs.getArray(1)), labels.indexOf(key), false, null);
                    }
                    case "hellaswag" -> {
                        List<String> endings = new ArrayList<>();
                        for (String ending : strings(rs.getArray(1))) {
                            endings.add(hellaswagPreprocess(ending));
                        }
                        yield new Expected(endings, Integer.parseInt(rs.getString(2)), false, null);
                    }
                    case "piqa", "truthfulqa_mc1" -> new Expected(strings(rs.getArray(1)), rs.getInt(2), false, null);
                    default -> {
                        String sentence = rs.getString(1);
                        int i = sentence.indexOf('_');
                        yield new Expected(List.of(sentence.substring(0, i) + rs.getString(2),
                                sentence.substring(0, i) + rs.getString(3)), rs.getString(4).equals("1") ? 0 : 1,
                                true, sentence.substring(i + 1).strip());
                    }
                });
            }
        }
        return out;
    }

    /** utils.preprocess: strip, " [title]" to ". ", drop [..], "  " to " " (the sample texts are ASCII). */
    private static String hellaswagPreprocess(String text) {
        String t = text.strip().replace(" [title]", ". ");
        t = t.replaceAll("\\[[^\\]\n]*?\\]", "");
        return t.replace("  ", " ");
    }

    private static List<String> strings(Array array) throws Exception {
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
            out.add(o.toString());
        }
        return out;
    }

    // ---- the emulator's model, asked directly ----

    private double forcedScore(JsonNode sent) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", MODEL);
        body.put("prompt", sent.get("prompt").asText());
        body.set("forced_output_tokens", sent.get("forced_output_tokens"));
        body.put("logprobs", 1);
        double sum = 0;
        for (GeneratedToken t : model.generate(RequestCheck.check(ApiKind.COMPLETIONS, body).request()).choices().get(0).tokens()) {
            sum += t.logprob();
        }
        return sum;
    }

    private static List<Integer> ids(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Double[] box(double[] values) {
        Double[] out = new Double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    // ---- running the job ----

    record Run(int exitCode, String out, String err) {}

    private Run run(String yaml) throws Exception {
        Path config = dir.resolve("config-" + System.nanoTime() + ".yaml");
        Files.writeString(config, yaml);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BulkInferenceJob.run(new String[] {"--config", config.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .code();
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
