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
import io.friendliflink.job.modes.MmluParquet;
import io.friendliflink.job.modes.MmluParquet.Row;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluate mode end to end against the embedded emulator. The expected predictions are computed here,
 * apart from the job: the harness prompt written out by hand, each choice scored by asking the emulator's
 * model directly for the forced continuation's log-probabilities.
 */
class EvaluateModeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "meta-llama-3.1-8b-instruct";
    private static final Path SAMPLE = Path.of("..", "sample-data", "mmlu");
    private final TinyLanguageModel model = new TinyLanguageModel();

    @TempDir
    Path dir;

    @Test
    void sampleMmluParquetScoresEachChoiceWithForcedTokensAndAccuracyMatchesTheEmulatorsLogprobs() throws Exception {
        Path output = dir.resolve("out");
        Run run = run("""
                mode: evaluate
                evaluate:
                  input: %s
                  few-shot: {path: %s, k: 1}
                endpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                run: {parallelism: 2, checkpoint-interval: 1s}
                """.formatted(SAMPLE.resolve("test.parquet"), SAMPLE.resolve("dev.parquet"), MODEL, output));
        assertThat(run.exitCode).as(run.err).isZero();

        List<Row> test = MmluParquet.testSplit();
        List<Row> dev = MmluParquet.devSplit();
        Map<String, Integer> expected = new HashMap<>();
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            Row q = test.get(i);
            String prompt = harnessPrompt(q, firstExampleOf(dev, q.subject()));
            double[] scores = new double[q.choices().size()];
            for (int c = 0; c < scores.length; c++) {
                scores[c] = forcedScore(prompt, " " + (char) ('A' + c));
            }
            int prediction = argmax(scores);
            expected.put(String.format("q%06d", i + 1), prediction);
            correct += prediction == q.answer() ? 1 : 0;
        }

        Map<String, Integer> predictions = new HashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, prediction, failed, len(scores), question, "
                        + "array_to_string(choices, '|') FROM read_parquet('"
                        + output.resolve("evaluation/questions.parquet") + "')")) {
            while (rs.next()) {
                assertThat(rs.getBoolean(3)).isFalse();
                assertThat(rs.getInt(4)).isEqualTo(4);
                predictions.put(rs.getString(1), rs.getInt(2));
                // Each row carries the question as asked, so a reader needs no join with the input.
                Row asked = test.get(Integer.parseInt(rs.getString(1).substring(1)) - 1);
                assertThat(rs.getString(5)).isEqualTo(asked.question());
                assertThat(rs.getString(6)).isEqualTo(String.join("|", asked.choices()));
            }
        }
        assertThat(predictions).isEqualTo(expected);

        JsonNode report = JSON.readTree(output.resolve("evaluation/report.json").toFile());
        assertThat(report.get("task").asText()).isEqualTo("mmlu");
        assertThat(report.get("prompt_version").asText()).isEqualTo("mmlu@1.0");
        assertThat(report.get("k").asInt()).isEqualTo(1);
        assertThat(report.get("model").asText()).isEqualTo(MODEL);
        assertThat(report.at("/overall/questions").asInt()).isEqualTo(12);
        assertThat(report.at("/overall/failed").asInt()).isZero();
        assertThat(report.at("/overall/acc").asDouble()).isEqualTo((double) correct / test.size());
        // Every choice ("A".."D") is one character and one byte, so the normalized argmaxes are the same one.
        assertThat(report.at("/overall/acc_norm").asDouble()).isEqualTo((double) correct / test.size());
        assertThat(report.at("/overall/acc_bytes").asDouble()).isEqualTo((double) correct / test.size());
        // Each subject's stderr is mean_stderr over its questions; overall pools the subjects
        // (lm_eval/api/metrics.py pooled_sample_stderr), as the harness reports the mmlu group.
        double pooled = 0;
        for (String subject : List.of("astronomy", "college_biology", "elementary_mathematics")) {
            double p = report.at("/subjects/" + subject + "/acc").asDouble();
            double stderr = Math.sqrt(4 * p * (1 - p) / 3) / 2; // n = 4: sqrt(sum((x - p)^2) / 3) / sqrt(4)
            assertThat(report.at("/subjects/" + subject + "/acc_stderr").asDouble()).isCloseTo(stderr, within(1e-12));
            pooled += 3 * stderr * stderr * 4;
        }
        assertThat(report.at("/overall/acc_stderr").asDouble()).isCloseTo(Math.sqrt(pooled / (12 - 3) / 12),
                within(1e-12));
        assertThat(report.at("/subjects/college_biology/questions").asInt()).isEqualTo(4);
        assertThat(run.out).contains("subject").contains("elementary_mathematics").contains("acc_norm");
        assertThat(lines(output.resolve("_requests/requests.jsonl"))).hasSize(48);

        // _REPORT.html draws the same numbers: a bar per subject and one for all, each with its error bar.
        Document html = Jsoup.parse(output.resolve("_REPORT.html").toFile());
        Map<String, List<Double>> bars = new HashMap<>();
        for (Element bar : html.select("#chart-accuracy g.bar")) {
            assertThat(bar.select("g.error-bar line")).hasSize(3);
            bars.put(bar.attr("data-label"), List.of(Double.parseDouble(bar.attr("data-value")),
                    Double.parseDouble(bar.attr("data-error"))));
        }
        Map<String, List<Double>> expectedBars = new HashMap<>();
        report.get("subjects").fields().forEachRemaining(e -> expectedBars.put(e.getKey(),
                List.of(e.getValue().get("acc").asDouble(), e.getValue().get("acc_stderr").asDouble())));
        expectedBars.put("all", List.of(report.at("/overall/acc").asDouble(),
                report.at("/overall/acc_stderr").asDouble()));
        assertThat(bars).hasSize(4).isEqualTo(expectedBars);
        assertThat(run.out).contains("  report:  " + output.resolve("_REPORT.html"));
    }

    @Test
    void topLogprobsMethodReadsTheLettersAtTheAnswerPositionFromJsonlInput() throws Exception {
        Path input = dir.resolve("questions.jsonl");
        List<Row> test = MmluParquet.testSplit();
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < test.size(); i++) {
            Row q = test.get(i);
            ObjectNode row = JSON.createObjectNode();
            row.put("id", "item-" + i);
            row.put("question", q.question());
            row.put("subject", q.subject());
            row.set("choices", JSON.valueToTree(q.choices()));
            row.put("answer", q.answer());
            jsonl.append(row).append('\n');
        }
        Files.writeString(input, jsonl);
        Path output = dir.resolve("out");
        Run run = run("""
                mode: evaluate
                evaluate: {input: %s, method: top-logprobs, top-logprobs: 20, id-column: id}
                endpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                """.formatted(input, MODEL, output));
        assertThat(run.exitCode).as(run.err).isZero();

        Map<String, Integer> expected = new HashMap<>();
        Map<String, List<String>> expectedMissing = new HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            Row q = test.get(i);
            Map<String, Double> letters = topLetters(harnessPrompt(q, null), 20);
            double best = Double.NEGATIVE_INFINITY;
            int prediction = -1;
            List<String> missing = new ArrayList<>();
            for (int c = 0; c < q.choices().size(); c++) {
                Double lp = letters.get(String.valueOf((char) ('A' + c)));
                if (lp == null) {
                    missing.add(String.valueOf((char) ('A' + c)));
                } else if (lp > best) {
                    best = lp;
                    prediction = c;
                }
            }
            expected.put("item-" + i, prediction < 0 ? null : prediction);
            expectedMissing.put("item-" + i, missing);
        }
        Map<String, Integer> predictions = new HashMap<>();
        Map<String, List<String>> missing = new HashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, prediction, array_to_string(missing_letters, ',') FROM "
                        + "read_parquet('" + output.resolve("evaluation/questions.parquet") + "')")) {
            while (rs.next()) {
                int p = rs.getInt(2);
                predictions.put(rs.getString(1), rs.wasNull() ? null : p);
                String m = rs.getString(3);
                missing.put(rs.getString(1), m == null || m.isEmpty() ? List.of() : List.of(m.split(",")));
            }
        }
        assertThat(predictions).isEqualTo(expected);
        assertThat(missing).isEqualTo(expectedMissing);
        assertThat(lines(output.resolve("_requests/requests.jsonl"))).hasSize(12);
    }

    @Test
    void aQuestionWhoseChoiceRequestFailedIsCountedAsFailedNotAsWrong() throws Exception {
        Path output = dir.resolve("out");
        Run run = run("""
                mode: evaluate
                evaluate: {input: %s}
                endpoint: {type: emulator}
                emulator: {faults: {"500": 0.2}}
                calls: {max-attempts: 1}
                defaults: {model: %s}
                output: {path: %s}
                run: {max-failed-share: 1}
                """.formatted(SAMPLE.resolve("test.parquet"), MODEL, output));
        assertThat(run.exitCode).as("finished with failed lines: " + run.err).isEqualTo(3);

        Set<String> failedIds = new HashSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement()) {
            for (Path f : visibleParquet(output.resolve("errors"))) {
                try (ResultSet rs = st.executeQuery("SELECT custom_id FROM read_parquet('" + f + "')")) {
                    while (rs.next()) {
                        failedIds.add(rs.getString(1).substring(0, rs.getString(1).indexOf('#')));
                    }
                }
            }
        }
        assertThat(failedIds).as("the fault rate makes some choice requests fail").isNotEmpty();
        List<Row> test = MmluParquet.testSplit();
        int scored = 0;
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            if (failedIds.contains(String.format("q%06d", i + 1))) {
                continue;
            }
            Row q = test.get(i);
            String prompt = harnessPrompt(q, null);
            double[] scores = new double[4];
            for (int c = 0; c < 4; c++) {
                scores[c] = forcedScore(prompt, " " + (char) ('A' + c));
            }
            scored++;
            correct += argmax(scores) == q.answer() ? 1 : 0;
        }
        JsonNode report = JSON.readTree(output.resolve("evaluation/report.json").toFile());
        assertThat(report.at("/overall/failed").asInt()).isEqualTo(failedIds.size());
        assertThat(report.at("/overall/scored").asInt()).isEqualTo(scored);
        if (scored > 0) {
            assertThat(report.at("/overall/acc").asDouble()).isEqualTo((double) correct / scored);
        }
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM read_parquet('"
                        + output.resolve("evaluation/questions.parquet") + "') WHERE failed AND correct IS NULL"
                        + " AND prediction IS NULL AND error LIKE '%failed%'")) {
            Set<String> reported = new HashSet<>();
            while (rs.next()) {
                reported.add(rs.getString(1));
            }
            assertThat(reported).isEqualTo(failedIds);
        }
    }

    @Test
    void aMissingQuestionColumnFailsAtStartNamingIt() throws Exception {
        Path input = dir.resolve("q.csv");
        Files.writeString(input, "prompt,choices,answer\n\"What?\",\"[\"\"a\"\",\"\"b\"\"]\",0\n");
        Run run = run("""
                mode: evaluate
                evaluate: {input: %s}
                endpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                """.formatted(input, MODEL, dir.resolve("out")));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("no column \"question\"").contains("[prompt, choices, answer]");
    }

    @Test
    void anUnknownTaskIsRefusedAtStartListingTheValidOnes() throws Exception {
        Run run = run("""
                mode: evaluate
                evaluate: {task: arc-easy, input: %s}
                endpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                """.formatted(SAMPLE.resolve("test.parquet"), MODEL, dir.resolve("out")));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("evaluate.task: unknown task \"arc-easy\"; valid tasks are mmlu, arc_easy,"
                + " arc_challenge, hellaswag, piqa, openbookqa, truthfulqa_mc1, winogrande");
    }

    @Test
    void mmluOnlyKeysAndFewShotForTruthfulqaAreRefusedNamingTheKey() throws Exception {
        Run run = run("""
                mode: evaluate
                evaluate:
                  task: truthfulqa_mc1
                  input: ../sample-data/truthfulqa_mc1/validation.parquet
                  few-shot: {path: ../sample-data/truthfulqa_mc1/validation.parquet}
                  continuation: choice-text
                  template: "{question}"
                  method: top-logprobs
                endpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                """.formatted(MODEL, dir.resolve("out")));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("evaluate.continuation: applies only to task mmlu")
                .contains("evaluate.template: applies only to task mmlu")
                .contains("evaluate.method: top-logprobs reads MMLU's answer letters")
                .contains("evaluate.few-shot.path: truthfulqa_mc1 is zero-shot in the harness");
    }

    @Test
    void aRowThatDoesNotFitTheTasksLayoutFailsAtStartNamingTheColumns() throws Exception {
        Run run = run("""
                mode: evaluate
                evaluate: {task: winogrande, input: %s}
                endpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                """.formatted(SAMPLE.resolve("test.parquet"), MODEL, dir.resolve("out")));
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("has no column \"sentence\"; winogrande reads [sentence, option1, option2,"
                + " answer] (the allenai/winogrande winogrande_xl layout)");
    }

    @Test
    void aRerunResumesTheSameEvaluationButRefusesAnotherOneInTheSameOutput() throws Exception {
        Path output = dir.resolve("out");
        String mmlu = """
                mode: evaluate
                evaluate: {input: %s}
                endpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                """.formatted(SAMPLE.resolve("test.parquet"), MODEL, output);
        assertThat(run(mmlu).exitCode).isZero();
        Run again = run(mmlu);
        assertThat(again.exitCode).as(again.err).isZero();
        assertThat(again.out).contains("all ");

        Run other = run("""
                mode: evaluate
                evaluate: {task: arc_easy, input: ../sample-data/arc_easy/test.parquet}
                endpoint: {type: emulator}
                defaults: {model: %s}
                output: {path: %s}
                """.formatted(MODEL, output));
        assertThat(other.exitCode).isEqualTo(2);
        assertThat(other.err).contains("holds the results of another evaluation").contains("Choose another output.path");
        assertThat(JSON.readTree(output.resolve("evaluation/report.json").toFile()).get("task").asText())
                .isEqualTo("mmlu");
    }

    // ---- the harness's MMLU format and scoring, written out independently of the job ----

    private static String harnessPrompt(Row q, Row example) {
        StringBuilder p = new StringBuilder("The following are multiple choice questions (with answers) about "
                + q.subject().replace('_', ' ') + ".\n\n");
        if (example != null) {
            p.append(questionText(example)).append(' ').append((char) ('A' + example.answer())).append("\n\n");
        }
        return p.append(questionText(q)).toString();
    }

    private static String questionText(Row q) {
        return q.question().strip() + "\nA. " + q.choices().get(0) + "\nB. " + q.choices().get(1) + "\nC. "
                + q.choices().get(2) + "\nD. " + q.choices().get(3) + "\nAnswer:";
    }

    private static Row firstExampleOf(List<Row> dev, String subject) {
        return dev.stream().filter(r -> r.subject().equals(subject)).findFirst().orElseThrow();
    }

    private double forcedScore(String prompt, String continuation) {
        List<Integer> ids = model.tokenize(continuation);
        ObjectNode body = JSON.createObjectNode();
        body.put("model", MODEL);
        body.put("prompt", prompt);
        body.set("forced_output_tokens", JSON.valueToTree(ids));
        body.put("logprobs", 1);
        double sum = 0;
        List<GeneratedToken> tokens = model.generate(RequestCheck.check(ApiKind.COMPLETIONS, body).request()).choices().get(0).tokens();
        assertThat(tokens).hasSize(ids.size());
        for (GeneratedToken t : tokens) {
            sum += t.logprob();
        }
        return sum;
    }

    private Map<String, Double> topLetters(String prompt, int k) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", MODEL);
        body.put("prompt", prompt);
        body.put("max_tokens", 1);
        body.put("logprobs", k);
        GeneratedToken first = model.generate(RequestCheck.check(ApiKind.COMPLETIONS, body).request()).choices().get(0).tokens().get(0);
        Map<String, Double> letters = new HashMap<>();
        letters.merge(first.text().strip(), first.logprob(), Math::max);
        for (GeneratedToken.Alternative a : first.top()) {
            letters.merge(a.text().strip(), a.logprob(), Math::max);
        }
        return letters;
    }

    private static int argmax(double[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
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

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file);
    }

    static List<Path> visibleParquet(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".parquet")
                    && !f.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
