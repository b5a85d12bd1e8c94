package io.friendliflink.job.eval;

import io.friendliflink.job.files.FlinkFiles;
import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.sink.ParquetSinks;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.fs.Path;

/**
 * The evaluate mode after the run: reads {@code results/} and {@code errors/} and scores each question.
 *
 * <p>Per choice: the sum of the forced tokens' log-probabilities (a response whose log-probabilities do
 * not match the forced tokens one for one fails the question: it is never scored on a part). Top logprobs: a letter's score is
 * the best log-probability among the alternatives (and the sampled token) whose text is the letter after
 * trimming spaces; letters not there are listed as missing and left out of the argmax, since they are less
 * likely than every one there; a question with no letter there fails. A question with any choice request
 * in {@code errors/} (after all retries), or with no row at all, fails: it is counted as failed, never as
 * wrong.
 *
 * <p>The predictions are {@code process_results} of {@code lm_eval/api/task.py} for {@code multiple_choice}:
 * {@code acc} the argmax of the scores, {@code acc_norm} of the scores divided by {@code len(choice)} (the
 * choice as {@code doc_to_choice} gives it, without the target delimiter, in code points), {@code acc_bytes}
 * of the scores divided by the choice's UTF-8 length. Ties go to the first choice, as {@code numpy.argmax}
 * does.
 */
public final class Scorer {
    private Scorer() {}

    /** Scores every question of {@code plan} from the output directory of its run. */
    public static List<QuestionScore> score(EvaluationPlan plan, Path output) throws IOException {
        Map<String, Response> responses = new HashMap<>();
        for (Path file : ParquetRows.visibleFiles(FlinkFiles.child(output, ParquetSinks.RESULTS_DIR))) {
            ParquetRows.forEach(file, null, r -> responses.putIfAbsent(r.get("custom_id").toString(), response(r)));
        }
        Map<String, String> errors = new HashMap<>();
        for (Path file : ParquetRows.visibleFiles(FlinkFiles.child(output, ParquetSinks.ERRORS_DIR))) {
            ParquetRows.forEach(file, null, r -> {
                Object id = r.get("custom_id");
                if (id != null) {
                    errors.putIfAbsent(id.toString(), r.get("error_type") + ": " + r.get("error_message"));
                }
            });
        }
        List<QuestionScore> scores = new ArrayList<>(plan.questions().size());
        for (int i = 0; i < plan.questions().size(); i++) {
            Question q = plan.questions().get(i);
            scores.add(plan.settings().method() == EvaluateSettings.Method.PER_CHOICE
                    ? perChoice(q, plan.forcedTokenCounts(i), responses, errors)
                    : topLogprobs(q, responses, errors));
        }
        return scores;
    }

    private static QuestionScore perChoice(Question q, int[] forcedTokens, Map<String, Response> responses,
            Map<String, String> errors) {
        int n = q.choices().size();
        Double[] scores = new Double[n];
        for (int c = 0; c < n; c++) {
            String id = q.id() + EvaluationPlan.CHOICE_SEPARATOR + c;
            Response r = responses.get(id);
            String problem = null;
            if (r == null) {
                String error = errors.get(id);
                problem = error != null ? "choice " + c + " failed: " + error : "choice " + c + " has no result";
            } else if (r.logprobs == null) {
                problem = "choice " + c + ": the response has no logprobs";
            } else if (r.logprobs.length != forcedTokens[c]) {
                problem = "choice " + c + ": " + r.logprobs.length + " logprobs for " + forcedTokens[c] + " forced tokens";
            }
            if (problem != null) {
                return failed(q, problem, List.of());
            }
            double sum = 0;
            for (double lp : r.logprobs) {
                sum += lp;
            }
            scores[c] = sum;
        }
        return scored(q, scores, List.of());
    }

    private static QuestionScore topLogprobs(Question q, Map<String, Response> responses, Map<String, String> errors) {
        Response r = responses.get(q.id());
        if (r == null) {
            String error = errors.get(q.id());
            return failed(q, error != null ? "request failed: " + error : "no result", List.of());
        }
        if (r.firstTokenAlternatives == null) {
            return failed(q, "the response has no top logprobs", List.of());
        }
        int n = q.choices().size();
        Double[] scores = new Double[n];
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            String letter = Question.letter(c);
            Double best = null;
            for (Map.Entry<String, Double> alt : r.firstTokenAlternatives.entrySet()) {
                if (alt.getKey().strip().equals(letter) && (best == null || alt.getValue() > best)) {
                    best = alt.getValue();
                }
            }
            scores[c] = best;
            if (best == null) {
                missing.add(letter);
            }
        }
        if (missing.size() == n) {
            return failed(q, "no choice letter among the top " + r.firstTokenAlternatives.size() + " alternatives",
                    missing);
        }
        return scored(q, scores, missing);
    }

    /** The three predictions of {@code process_results}; a {@code null} score (a missing letter) is left out. */
    static QuestionScore scored(Question q, Double[] scores, List<String> missing) {
        int n = scores.length;
        Double[] norm = new Double[n];
        Double[] bytes = new Double[n];
        for (int c = 0; c < n; c++) {
            if (scores[c] != null) {
                String choice = q.choices().get(c);
                norm[c] = scores[c] / PythonText.len(choice);
                bytes[c] = scores[c] / PythonText.utf8Length(choice);
            }
        }
        return new QuestionScore(q.id(), q.subject(), q.answer(), Arrays.asList(scores), Arrays.asList(norm),
                Arrays.asList(bytes), argmax(scores), argmax(norm), argmax(bytes), null, List.copyOf(missing));
    }

    /**
     * {@code numpy.argmax} over the known values: the first maximum, and the first NaN if there is one (a
     * choice of length 0 scoring 0 divides to NaN); {@code -1} when none is known.
     */
    static int argmax(Double[] values) {
        int best = -1;
        for (int i = 0; i < values.length; i++) {
            Double v = values[i];
            if (v == null) {
                continue;
            }
            if (v.isNaN()) {
                return i;
            }
            if (best < 0 || v > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static QuestionScore failed(Question q, String error, List<String> missing) {
        return new QuestionScore(q.id(), q.subject(), q.answer(), null, null, null, null, null, null, error,
                List.copyOf(missing));
    }

    /** What scoring needs of a results row. */
    private record Response(double[] logprobs, Map<String, Double> firstTokenAlternatives) {}

    @SuppressWarnings("unchecked")
    private static Response response(GenericRecord row) {
        List<GenericRecord> choices = (List<GenericRecord>) row.get("choices");
        if (choices == null || choices.isEmpty()) {
            return new Response(null, null);
        }
        GenericRecord choice = choices.get(0);
        List<GenericRecord> logprobs = (List<GenericRecord>) choice.get("logprobs");
        if (logprobs == null) {
            return new Response(null, null);
        }
        double[] values = new double[logprobs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (Double) logprobs.get(i).get("logprob");
        }
        Map<String, Double> alternatives = null;
        if (!logprobs.isEmpty()) {
            GenericRecord first = logprobs.get(0);
            List<GenericRecord> tops = (List<GenericRecord>) first.get("top_logprobs");
            if (tops != null && !tops.isEmpty()) {
                alternatives = new HashMap<>();
                if (first.get("token") != null) {
                    alternatives.put(first.get("token").toString(), (Double) first.get("logprob"));
                }
                for (GenericRecord top : tops) {
                    if (top.get("token") != null) {
                        alternatives.merge(top.get("token").toString(), (Double) top.get("logprob"), Math::max);
                    }
                }
            }
        }
        return new Response(values, alternatives);
    }
}
