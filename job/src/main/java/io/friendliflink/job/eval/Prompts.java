package io.friendliflink.job.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * The harness's loglikelihood requests of a question: for each choice, a context and the continuation
 * scored after it.
 *
 * <p>As {@code ConfigurableTask.fewshot_context} and {@code construct_requests}
 * ({@code lm_eval/api/task.py}) build them for plain text (no chat template): the task's description,
 * then each example as its context, the target delimiter {@code " "}, its answer and the few-shot delimiter
 * {@code "\n\n"}, then the question's context. Choice {@code i} of an ordinary task is scored as
 * {@code " " + choices[i]} after the question's text; a task whose choices are contexts (winogrande) scores
 * {@code " " + target} after {@code prefix + choices[i]}. These are the harness's request arguments;
 * {@link #split} then moves a context's trailing whitespace to its continuation, as the harness's model
 * adapters do before tokenizing.
 */
final class Prompts {
    static final String TARGET_DELIMITER = " ";
    static final String FEW_SHOT_DELIMITER = "\n\n";

    /** One loglikelihood request: a context and the continuation scored after it. */
    record Request(String context, String continuation) {}

    private final Task task;
    private final FewShotSampler sampler;

    Prompts(Task task, FewShotSampler sampler) {
        this.task = task;
        this.sampler = sampler;
    }

    /**
     * The requests of {@code q}, one per choice. Draws its examples, so call once per question in input
     * order (see {@link FewShotSampler}).
     */
    List<Request> requests(Question q) {
        String prefix = prefix(q);
        List<Request> out = new ArrayList<>(q.choices().size());
        for (String choice : q.choices()) {
            out.add(q.choicesAreContexts()
                    ? new Request(prefix + choice, TARGET_DELIMITER + q.target())
                    : new Request(prefix + q.text(), TARGET_DELIMITER + choice));
        }
        return out;
    }

    /**
     * The prompt of a question scored from one answer position (top-logprobs): prefix and text. Draws its
     * examples like {@link #requests}.
     */
    String prompt(Question q) {
        if (q.choicesAreContexts()) {
            throw new IllegalArgumentException(task.name() + " has one context per choice; it has no single prompt");
        }
        return prefix(q) + q.text();
    }

    /** The description and the examples. */
    private String prefix(Question q) {
        StringBuilder out = new StringBuilder(512).append(task.description(q));
        for (Question example : sampler.examples(q)) {
            String context = example.choicesAreContexts() ? example.choices().get(example.answer()) : example.text();
            String answer = example.choicesAreContexts() ? example.target() : example.choices().get(example.answer());
            if (example.choicesAreContexts() && answer.isEmpty()) {
                out.append(context); // build_qa_turn: an empty target string is no answer, so no delimiters
                continue;
            }
            out.append(context).append(TARGET_DELIMITER).append(answer).append(FEW_SHOT_DELIMITER);
        }
        return out.toString();
    }

    /**
     * What is sent for {@code r}: the context without its trailing whitespace, which moves to the front of
     * the continuation ({@code TemplateLM._encode_pair} in {@code lm_eval/api/model.py}), so the forced
     * tokens are those of the continuation the harness scores.
     */
    static Request split(Request r) {
        String trimmed = PythonText.rstrip(r.context());
        return new Request(trimmed, r.context().substring(trimmed.length()) + r.continuation());
    }
}
