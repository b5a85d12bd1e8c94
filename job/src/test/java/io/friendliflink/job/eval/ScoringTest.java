package io.friendliflink.job.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.job.files.FlinkFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code process_results} for {@code multiple_choice} ({@code lm_eval/api/task.py}): {@code acc_norm} divides
 * each choice's log-likelihood by {@code len(choice)} (code points of the choice as {@code doc_to_choice}
 * gives it, no target delimiter), {@code acc_bytes} by its UTF-8 length; and the aggregations of
 * {@code lm_eval/api/metrics.py} ({@code mean_stderr}, {@code pooled_sample_stderr}). Expected values are
 * worked out by hand in the comments (and agree with numpy's argmax and the harness's functions).
 */
class ScoringTest {

    private static Question question(List<String> choices, int answer) {
        return Question.ofText("q1", "s", "text", choices, answer, Map.of());
    }

    @Test
    void nonAsciiChoicesWhereCharacterAndByteLengthPickDifferentChoices() {
        // The choices: lengths in characters 10, 1, 15, 12; in UTF-8 bytes 11, 3, 17, 14.
        Question q = question(List.of("Ωmega ring", "寺", "Krishna’s flute", "a naïve café"), 3);
        QuestionScore s = Scorer.scored(q, new Double[] {-12.0, -2.4, -20.0, -14.0}, List.of());
        // acc: the largest sum is -2.4
        assertThat(s.prediction()).isEqualTo(1);
        // acc_norm: -1.2, -2.4, -1.333, -1.1667 -> choice 3
        assertThat(s.normalizedScores()).containsExactly(-1.2, -2.4, -20.0 / 15, -14.0 / 12);
        assertThat(s.predictionNorm()).isEqualTo(3);
        // acc_bytes: -1.0909, -0.8, -1.1765, -1.0 -> choice 1 (the old rule, bytes of " " + choice, also picked 1)
        assertThat(s.byteScores()).containsExactly(-12.0 / 11, -2.4 / 3, -20.0 / 17, -14.0 / 14);
        assertThat(s.predictionBytes()).isEqualTo(1);
        assertThat(s.correct()).isFalse();
        assertThat(s.correctNorm()).isTrue();
        assertThat(s.correctBytes()).isFalse();
    }

    @Test
    void characterLengthCountsCodePointsAsPythonsLenNotUtf16Units() {
        // "🍎🍎": 2 code points (4 UTF-16 units, 8 bytes); "abc": 3.
        // By code points -1.1 vs -1.0 -> choice 1; by UTF-16 units it would be -0.55 vs -1.0 -> choice 0.
        QuestionScore s = Scorer.scored(question(List.of("🍎🍎", "abc"), 1), new Double[] {-2.2, -3.0}, List.of());
        assertThat(s.predictionNorm()).isEqualTo(1);
        assertThat(s.predictionBytes()).isEqualTo(0);
    }

    @Test
    void argmaxIsNumpysFirstMaximumAndFirstNanAndSkipsUnknownScores() {
        assertThat(Scorer.argmax(new Double[] {-1.0, -0.5, -0.5})).isEqualTo(1);
        assertThat(Scorer.argmax(new Double[] {-1.0, Double.NaN, 0.0, Double.NaN})).isEqualTo(1);
        assertThat(Scorer.argmax(new Double[] {null, -3.0, null, -2.0})).isEqualTo(3);
    }

    @Test
    void meanStderrIsTheSampleStandardDeviationOverRootN() {
        // [1, 0, 1, 1]: mean 0.75, squares 3 * 0.0625 + 0.5625 = 0.75, / (n - 1) = 0.25, sqrt 0.5, / sqrt(4)
        assertThat(Metrics.meanStderr(new double[] {1, 0, 1, 1})).isEqualTo(0.25);
        // [1, 0]: sqrt(0.5 / 1) / sqrt(2) = 0.5
        assertThat(Metrics.meanStderr(new double[] {1, 0})).isEqualTo(0.5);
        // the harness reports "N/A" for one value
        assertThat(Metrics.meanStderr(new double[] {1})).isNull();
    }

    @Test
    void pooledStderrIsTheHarnessGroupFormula() {
        // sqrt(((4 - 1) * 0.25^2 * 4 + (2 - 1) * 0.5^2 * 2) / (6 - 2) / 6) = sqrt(1.25 / 4 / 6)
        assertThat(Metrics.pooledStderr(List.of(0.25, 0.5), List.of(4L, 2L))).isCloseTo(Math.sqrt(1.25 / 24), within(1e-15));
        assertThat(Metrics.pooledStderr(List.of(0.25, 0.5), List.of(4L, 2L))).isCloseTo(0.22821773229381923, within(1e-15));
        List<Double> withNa = new ArrayList<>();
        withNa.add(0.25);
        withNa.add(null);
        assertThat(Metrics.pooledStderr(withNa, List.of(4L, 1L))).isNull();
    }

    @Test
    void reportHasTaskPromptVersionKAndModelAndPerSubjectAndOverallMetrics() {
        EvaluateSettings settings = new EvaluateSettings("mmlu", FlinkFiles.of("in.parquet"), FlinkFiles.of("dev.parquet"), 5,
                1234, EvaluateSettings.Method.PER_CHOICE, EvaluateSettings.Continuation.LETTERS,
                EvaluateSettings.MMLU_DESCRIPTION, null, 20, null, "some-model");
        List<QuestionScore> scores = new ArrayList<>();
        // subject a: right, wrong, right, right; subject b: right, wrong; one failed question in b
        boolean[] a = {true, false, true, true};
        for (int i = 0; i < a.length; i++) {
            scores.add(score("a" + i, "a", a[i]));
        }
        scores.add(score("b0", "b", true));
        scores.add(score("b1", "b", false));
        scores.add(new QuestionScore("b2", "b", 0, null, null, null, null, null, null, "choice 0 failed", List.of()));
        JsonNode report = new EvaluationReport(settings, scores).toJson();

        assertThat(report.get("task").asText()).isEqualTo("mmlu");
        assertThat(report.get("prompt_version").asText()).isEqualTo("mmlu@1.0");
        assertThat(report.get("k").asInt()).isEqualTo(5);
        assertThat(report.get("model").asText()).isEqualTo("some-model");
        assertThat(report.at("/harness/task_file").asText()).isEqualTo("lm_eval/tasks/mmlu/default/_default_template_yaml");
        assertThat(report.at("/subjects/a/acc").asDouble()).isEqualTo(0.75);
        assertThat(report.at("/subjects/a/acc_stderr").asDouble()).isEqualTo(0.25);
        assertThat(report.at("/subjects/b/acc_stderr").asDouble()).isEqualTo(0.5);
        assertThat(report.at("/subjects/b/failed").asInt()).isEqualTo(1);
        // overall: (0.75 * 4 + 0.5 * 2) / 6, the mean over the six scored questions; pooled stderr
        assertThat(report.at("/overall/acc").asDouble()).isCloseTo(4.0 / 6, within(1e-15));
        assertThat(report.at("/overall/acc_stderr").asDouble()).isCloseTo(Math.sqrt(1.25 / 24), within(1e-15));
        assertThat(report.at("/overall/scored").asInt()).isEqualTo(6);
        assertThat(report.at("/overall/failed").asInt()).isEqualTo(1);
        // letters are one character each: acc_norm and acc_bytes pick what acc picks
        assertThat(report.at("/overall/acc_norm").asDouble()).isEqualTo(report.at("/overall/acc").asDouble());
        assertThat(report.at("/overall/acc_bytes").asDouble()).isEqualTo(report.at("/overall/acc").asDouble());
    }

    @Test
    void aTaskWithoutSubjectsReportsOneGroupAndOverallIsItsOwnMeanStderr() {
        EvaluateSettings settings = new EvaluateSettings("arc_easy", FlinkFiles.of("in.parquet"), null, 0, 1234,
                EvaluateSettings.Method.PER_CHOICE, EvaluateSettings.Continuation.LETTERS,
                EvaluateSettings.MMLU_DESCRIPTION, null, 20, null, "m");
        List<QuestionScore> scores = List.of(score("1", "arc_easy", true), score("2", "arc_easy", false),
                score("3", "arc_easy", true));
        EvaluationReport report = new EvaluationReport(settings, scores);
        JsonNode json = report.toJson();
        assertThat(json.get("subjects").size()).isEqualTo(1);
        assertThat(json.at("/overall/acc_stderr").asDouble()).isEqualTo(Metrics.meanStderr(new double[] {1, 0, 1}));
        assertThat(json.at("/harness/metrics").toString()).isEqualTo("[\"acc\",\"acc_norm\"]");
        assertThat(report.table()).startsWith("task arc_easy, prompt arc_easy@1.0, k=0, model m\n");
    }

    private static QuestionScore score(String id, String subject, boolean right) {
        Question q = Question.ofText(id, subject, "t", List.of("A", "B"), 0, Map.of());
        return Scorer.scored(q, right ? new Double[] {-1.0, -2.0} : new Double[] {-2.0, -1.0}, List.of());
    }
}
