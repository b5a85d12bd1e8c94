package io.friendliflink.job.eval;

import io.friendliflink.job.rows.ParquetRows;
import io.friendliflink.sink.ParquetSinks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The evaluate mode after the run: reads {@code results/} and {@code errors/} and scores each question.
 *
 * <p>Per choice: the sum of the forced tokens' log-probabilities (a response whose log-probabilities do
 * not match the forced tokens one for one fails the question: it is never scored on a part). Top logprobs: a letter's score is
 * the best log-probability among the alternatives (and the sampled token) whose text is the letter after
 * trimming spaces; letters not there are listed as missing and left out of the argmax, since they are less
 * likely than every one there; a question with no letter there fails. A question with any choice request
 * in {@code errors/} (after all retries), or with no row at all, fails: it is counted as failed, never as
 * wrong. Ties go to the first choice, as {@code numpy.argmax} does.
 */
public final class Scorer {
    private Scorer() {}

    /** Scores every question of {@code plan} from the output directory of its run. */
    public static List<QuestionScore> score(EvaluationPlan plan, Path output) throws IOException {
        Map<String, Response> responses = new HashMap<>();
        for (Path file : ParquetRows.visibleFiles(output.resolve(ParquetSinks.RESULTS_DIR))) {
            ParquetRows.forEach(file, null, r -> responses.putIfAbsent(r.get("custom_id").toString(), response(r)));
        }
        Map<String, String> errors = new HashMap<>();
        for (Path file : ParquetRows.visibleFiles(output.resolve(ParquetSinks.ERRORS_DIR))) {
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
            List<String> continuations = plan.continuations(i);
            scores.add(plan.settings().method() == EvaluateSettings.Method.PER_CHOICE
                    ? perChoice(q, continuations, plan.forcedTokenCounts(i), responses, errors)
                    : topLogprobs(q, continuations, responses, errors));
        }
        return scores;
    }

    private static QuestionScore perChoice(Question q, List<String> continuations, int[] forcedTokens,
            Map<String, Response> responses, Map<String, String> errors) {
        int n = continuations.size();
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
        return scored(q, continuations, scores, List.of());
    }

    private static QuestionScore topLogprobs(Question q, List<String> continuations, Map<String, Response> responses,
            Map<String, String> errors) {
        Response r = responses.get(q.id());
        if (r == null) {
            String error = errors.get(q.id());
            return failed(q, error != null ? "request failed: " + error : "no result", List.of());
        }
        if (r.firstTokenAlternatives == null) {
            return failed(q, "the response has no top logprobs", List.of());
        }
        int n = continuations.size();
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
        return scored(q, continuations, scores, missing);
    }

    private static QuestionScore scored(Question q, List<String> continuations, Double[] scores, List<String> missing) {
        Double[] norm = new Double[scores.length];
        int best = -1;
        int bestNorm = -1;
        for (int c = 0; c < scores.length; c++) {
            if (scores[c] == null) {
                continue;
            }
            norm[c] = scores[c] / continuations.get(c).getBytes(StandardCharsets.UTF_8).length;
            if (best < 0 || scores[c] > scores[best]) {
                best = c;
            }
            if (bestNorm < 0 || norm[c] > norm[bestNorm]) {
                bestNorm = c;
            }
        }
        return new QuestionScore(q.id(), q.subject(), q.answer(), Arrays.asList(scores), Arrays.asList(norm), best,
                bestNorm, null, List.copyOf(missing));
    }

    private static QuestionScore failed(Question q, String error, List<String> missing) {
        return new QuestionScore(q.id(), q.subject(), q.answer(), null, null, null, null, error, List.copyOf(missing));
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
