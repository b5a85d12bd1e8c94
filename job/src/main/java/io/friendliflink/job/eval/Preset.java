package io.friendliflink.job.eval;

import java.util.List;

/**
 * A task of lm-evaluation-harness as a value: the facts of its task YAML and a function that reads one row of
 * its dataset as the YAML's {@code doc_to_text}, {@code doc_to_choice} and {@code doc_to_target} do.
 * {@link HarnessTasks} declares them; a question's subject is the task's name.
 *
 * @param harnessFile the harness files holding the task's prompt rules, from the harness repository's root
 * @param version the task YAML's {@code metadata.version}
 * @param dataset the dataset the rows come from, as published
 * @param columns the columns a row must have
 * @param harnessMetrics the task YAML's {@code metric_list}
 * @param reader reads one row
 */
record Preset(String name, String harnessFile, String version, String dataset, List<String> columns,
        List<String> harnessMetrics, Task.Sampling sampling, RowReader reader) implements Task {

    /** What a row gives: a {@link Question} without its id, subject and row. */
    record Reading(String text, List<String> choices, int answer, String target) {
        /** Choices scored as continuations of {@code text}. */
        static Reading ofText(String text, List<String> choices, int answer) {
            return new Reading(text, choices, answer, null);
        }

        /** Choices that are contexts, each followed by the same scored {@code target}. */
        static Reading ofContexts(List<String> contexts, int answer, String target) {
            return new Reading(null, contexts, answer, target);
        }
    }

    /** Reads one row of the task's dataset. */
    @FunctionalInterface
    interface RowReader {
        /** @throws IllegalArgumentException naming the row's place and the column when the row does not fit */
        Reading read(Fields row);
    }

    Preset {
        columns = List.copyOf(columns);
        harnessMetrics = List.copyOf(harnessMetrics);
    }

    @Override
    public Question question(String id, Fields row) {
        Reading r = reader.read(row);
        return new Question(id, name, r.text(), r.choices(), r.answer(), r.target(), row.values());
    }
}
