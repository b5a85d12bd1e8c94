package io.friendliflink.job.eval;

import java.util.List;
import java.util.Map;

/**
 * One multiple-choice task of lm-evaluation-harness ({@code evaluate.task}): how a row of the public
 * dataset's Parquet layout becomes a {@link Question}, and the prompt rules around it.
 *
 * <p>The prompt is built as the harness's {@code ConfigurableTask.fewshot_context} does: the
 * {@link #description} (empty for most tasks), then {@code k} examples each rendered as context, the target
 * delimiter {@code " "}, the right answer and the few-shot delimiter {@code "\n\n"}, then the question's
 * context. Each task cites the harness file whose rules it reproduces; {@link HarnessTasks} holds them.
 */
interface Task {
    /** lm-evaluation-harness's source this project reproduces (the commit read, {@code git describe}). */
    String HARNESS = "EleutherAI/lm-evaluation-harness v0.4.12-48-g4e7e0d47";

    /**
     * The task of a run's settings.
     *
     * @throws IllegalArgumentException for an unknown name (the settings have refused it already)
     */
    static Task of(EvaluateSettings s) {
        if (s.task().equals("mmlu")) {
            return new MmluTask(s.description(), s.template(),
                    s.continuation() == EvaluateSettings.Continuation.CHOICE_TEXT);
        }
        Task task = HarnessTasks.named(s.task());
        if (task == null) {
            throw new IllegalArgumentException("unknown task \"" + s.task() + "\"; valid tasks are "
                    + String.join(", ", HarnessTasks.NAMES));
        }
        return task;
    }

    /** How the few-shot examples are chosen. */
    enum Sampling {
        /** The first {@code k} rows of the question's subject, in file order ({@code first_n}: MMLU). */
        FIRST_N_OF_SUBJECT,
        /** {@code random.Random(seed).sample} over the whole few-shot file, drawn per question in order. */
        SEEDED
    }

    /** The harness's task name, e.g. {@code arc_easy}. */
    String name();

    /** The task YAML's {@code metadata.version}. */
    String version();

    /** The harness files holding the task's prompt rules, from the harness repository's root. */
    String harnessFile();

    /** The dataset this task's rows come from, as published, for messages and the report. */
    String dataset();

    /** The columns a row must have. */
    List<String> columns();

    /** The metrics the harness's task YAML lists ({@code metric_list}); the report computes all three. */
    List<String> harnessMetrics();

    /**
     * The question in row {@code row}.
     *
     * @param where the row's place, for messages ({@code file row 3})
     * @throws IllegalArgumentException naming {@code where} and the column when the row does not fit
     */
    Question question(String id, Map<String, Object> row, String where);

    /** The text before the examples ({@code description}); empty for most tasks. */
    default String description(Question q) {
        return "";
    }

    default Sampling sampling() {
        return Sampling.SEEDED;
    }

    /**
     * Whether the sampler draws {@code k + 1} examples and drops one equal to the question. The harness does
     * so when the few-shot split equals the test split, which holds (both unset) for tasks without a
     * {@code test_split} and without a {@code fewshot_split}: hellaswag, piqa, winogrande.
     */
    default boolean dropsQuestionFromExamples() {
        return false;
    }

    /** Whether the harness keeps the task at zero examples whatever {@code --num_fewshot} says. */
    default boolean zeroShotOnly() {
        return false;
    }

    /** {@code <task>@<version>}: names the prompt, so two runs with the same value used the same one. */
    default String promptVersion() {
        return name() + "@" + version();
    }
}
