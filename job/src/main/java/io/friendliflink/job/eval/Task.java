package io.friendliflink.job.eval;

import java.util.List;

/**
 * One multiple-choice task of lm-evaluation-harness ({@code evaluate.task}): how a row of the public
 * dataset's Parquet layout becomes a {@link Question}, and the prompt rules around it.
 *
 * <p>The prompt is built as the harness's {@code ConfigurableTask.fewshot_context} does: the
 * {@link #description} (empty for most tasks), then {@code k} examples each rendered as context, the target
 * delimiter {@code " "}, the right answer and the few-shot delimiter {@code "\n\n"}, then the question's
 * context. Each task cites the harness file whose rules it reproduces; {@link HarnessTasks} declares them.
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
        Preset preset = HarnessTasks.named(s.task());
        if (preset == null) {
            throw new IllegalArgumentException("unknown task \"" + s.task() + "\"; valid tasks are "
                    + String.join(", ", HarnessTasks.NAMES));
        }
        return preset;
    }

    /** How the few-shot examples are chosen ({@link FewShotSampler}). */
    enum Sampling {
        /** The first {@code k} rows of the question's subject, in file order ({@code first_n}: MMLU). */
        FIRST_N_OF_SUBJECT,
        /** {@code random.Random(seed).sample} over the whole few-shot file, drawn per question in order. */
        SEEDED,
        /**
         * {@link #SEEDED}, drawing {@code k + 1} and dropping an example equal to the question. The harness does
         * so when the few-shot split equals the test split, which holds (both unset) for tasks without a
         * {@code test_split} and without a {@code fewshot_split}: hellaswag, piqa, winogrande.
         */
        SEEDED_WITHOUT_QUESTION,
        /** None: the task YAML's {@code num_fewshot: 0}, which {@code --num_fewshot} does not override. */
        ZERO_SHOT;

        /** Whether the few-shot seed decides the examples. */
        boolean seeded() {
            return this == SEEDED || this == SEEDED_WITHOUT_QUESTION;
        }
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
     * @throws IllegalArgumentException naming the row's place and the column when the row does not fit
     */
    Question question(String id, Fields row);

    /** How the few-shot examples are chosen. */
    Sampling sampling();

    /** The text before the examples ({@code description}); empty for most tasks. */
    default String description(Question q) {
        return "";
    }

    /** {@code <task>@<version>}: names the prompt, so two runs with the same value used the same one. */
    default String promptVersion() {
        return name() + "@" + version();
    }
}
