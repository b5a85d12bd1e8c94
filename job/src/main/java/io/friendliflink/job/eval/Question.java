package io.friendliflink.job.eval;

import java.util.List;
import java.util.Map;

/**
 * One multiple-choice question.
 *
 * @param answer the index of the right choice
 * @param row the input row, for a user template's other columns
 */
public record Question(String id, String subject, String question, List<String> choices, int answer,
        Map<String, Object> row) {
    public Question {
        choices = List.copyOf(choices);
    }

    /** {@code A}, {@code B}, ... for choice {@code i}. */
    public static String letter(int i) {
        return String.valueOf((char) ('A' + i));
    }
}
