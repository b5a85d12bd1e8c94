package io.friendliflink.job.eval;

import java.util.List;
import java.util.Map;

/**
 * One multiple-choice document as lm-evaluation-harness sees it after its task's {@code doc_to_text},
 * {@code doc_to_choice} and {@code doc_to_target}.
 *
 * <p>Most tasks put the choices in the continuation: the context is {@code text} and choice {@code i} is
 * scored as {@code " " + choices[i]}. A task with one input per choice (winogrande: the options fill the
 * sentence) has no {@code text}: {@code choices} are the contexts and {@code target}, the rest of the
 * sentence, is the one continuation scored after each ({@code multiple_input} in {@code lm_eval/api/task.py}).
 * Either way {@code choices} are the strings whose length {@code acc_norm} divides by.
 *
 * @param subject the group the report counts it in (MMLU's subject; the task's name otherwise)
 * @param text the context ({@code doc_to_text}), or {@code null} for a task with one input per choice
 * @param choices {@code doc_to_choice}: continuations, or contexts for a task with one input per choice
 * @param answer the index of the right choice
 * @param target the shared continuation of a task with one input per choice, else {@code null}
 * @param row the input row (the harness's few-shot sampler leaves out an example equal to the question)
 */
public record Question(String id, String subject, String text, List<String> choices, int answer, String target,
        Map<String, Object> row) {
    public Question {
        choices = List.copyOf(choices);
        if ((text == null) == (target == null)) {
            throw new IllegalArgumentException("a question has either a text or a shared target, not both or none");
        }
    }

    /** A question whose choices are scored as continuations of {@code text}. */
    static Question ofText(String id, String subject, String text, List<String> choices, int answer,
            Map<String, Object> row) {
        return new Question(id, subject, text, choices, answer, null, row);
    }

    /** Whether the choices are contexts sharing one continuation (winogrande), not continuations. */
    public boolean choicesAreContexts() {
        return target != null;
    }

    /** {@code A}, {@code B}, ... for choice {@code i}. */
    public static String letter(int i) {
        return String.valueOf((char) ('A' + i));
    }
}
