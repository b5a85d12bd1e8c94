package io.friendliflink.job.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The few-shot examples of each question, chosen as lm-evaluation-harness's samplers choose them
 * ({@code lm_eval/api/samplers.py}).
 *
 * <p>{@code first_n} (MMLU): the first {@code k} examples of the question's subject in file order, fewer
 * when the file has fewer. Default ({@code ContextSampler}): {@code random.Random(seed).sample(examples, k)}
 * over the whole file, one draw per question in input order from one generator, so {@link #examples}
 * must be called once for each question, in order. For tasks whose few-shot split is their test split
 * (hellaswag, piqa, winogrande) the harness draws {@code k + 1}, drops any example equal to the question
 * and keeps the first {@code k} ({@code rm_eval_doc}). A zero-shot task (truthfulqa_mc1) has none.
 */
final class FewShotSampler {
    private final Task task;
    private final List<Question> pool;
    private final int k;
    private final PythonRandom random;
    private final Map<String, List<Question>> firstBySubject = new HashMap<>();

    /**
     * @throws IllegalArgumentException when a seeded draw needs more examples than the file has
     */
    FewShotSampler(Task task, List<Question> examples, int k, long seed) {
        this.task = task;
        this.pool = List.copyOf(examples);
        this.k = k;
        this.random = new PythonRandom(seed);
        if (task.sampling() == Task.Sampling.FIRST_N_OF_SUBJECT) {
            for (Question q : examples) {
                List<Question> list = firstBySubject.computeIfAbsent(q.subject(), s -> new ArrayList<>());
                if (list.size() < k) {
                    list.add(q);
                }
            }
        } else if (task.sampling().seeded() && k > 0 && draw() > pool.size()) {
            throw new IllegalArgumentException("the few-shot file has " + pool.size() + " examples; " + task.name()
                    + " with k=" + k + " draws " + draw() + (draw() > k ? " (k + 1: the harness draws one more and"
                    + " drops the question if drawn)" : ""));
        }
    }

    private int draw() {
        return task.sampling() == Task.Sampling.SEEDED_WITHOUT_QUESTION ? k + 1 : k;
    }

    /** The examples before question {@code q}, in prompt order. */
    List<Question> examples(Question q) {
        if (k == 0) {
            return List.of();
        }
        return switch (task.sampling()) {
            case FIRST_N_OF_SUBJECT -> firstBySubject.getOrDefault(q.subject(), List.of());
            case SEEDED -> random.sample(pool, draw());
            case SEEDED_WITHOUT_QUESTION -> withoutQuestion(random.sample(pool, draw()), q);
            case ZERO_SHOT -> List.of();
        };
    }

    private List<Question> withoutQuestion(List<Question> drawn, Question q) {
        List<Question> kept = new ArrayList<>(k);
        for (Question example : drawn) {
            if (!example.row().equals(q.row()) && kept.size() < k) {
                kept.add(example);
            }
        }
        return kept;
    }
}
