package io.friendliflink.job.eval;

import java.util.List;

/**
 * How one question was scored.
 *
 * @param scores per choice: the sum of the continuation's token log-probabilities, {@code null} where
 *     unknown (a letter missing from the top alternatives)
 * @param normalizedScores per choice: the score divided by the choice's length in characters (code points)
 * @param byteScores per choice: the score divided by the choice's length in UTF-8 bytes
 * @param prediction the best-scoring choice ({@code acc}), {@code null} when the question failed
 * @param predictionNorm the best character-normalized choice ({@code acc_norm}), {@code null} when failed
 * @param predictionBytes the best byte-normalized choice ({@code acc_bytes}), {@code null} when failed
 * @param error why the question failed, {@code null} when it was scored
 * @param missing letters the top alternatives did not hold (top-logprobs method)
 */
public record QuestionScore(
        String id,
        String subject,
        int answer,
        List<Double> scores,
        List<Double> normalizedScores,
        List<Double> byteScores,
        Integer prediction,
        Integer predictionNorm,
        Integer predictionBytes,
        String error,
        List<String> missing) {

    public boolean failed() {
        return error != null;
    }

    public boolean correct() {
        return prediction != null && prediction == answer;
    }

    public boolean correctNorm() {
        return predictionNorm != null && predictionNorm == answer;
    }

    public boolean correctBytes() {
        return predictionBytes != null && predictionBytes == answer;
    }
}
