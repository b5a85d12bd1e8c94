package io.friendliflink.job.eval;

import io.friendliflink.job.rows.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns rows with {@code question}, {@code choices}, {@code answer} and {@code subject} into questions,
 * rejecting a row that does not fit with its row number and the rule.
 *
 * <p>{@code answer} is the index of the right choice (MMLU's int64) or its letter; {@code subject} may be
 * missing (then {@code all}). Without an id column a question's id is its row number, {@code q000001}, so
 * the same file always gives the same ids (which resuming a run relies on).
 */
public final class Questions {
    private static final int MAX_CHOICES = 26;

    private Questions() {}

    public static List<Question> from(Table table, String idColumn) {
        if (idColumn != null && !table.columns().contains(idColumn)) {
            throw new IllegalArgumentException(table.source() + " has no column \"" + idColumn
                    + "\" (evaluate.id-column); columns are " + table.columns());
        }
        for (String required : List.of("question", "choices", "answer")) {
            if (!table.columns().contains(required)) {
                throw new IllegalArgumentException(table.source() + " has no column \"" + required
                        + "\"; a question row needs question, choices (a list of texts), answer (an index) and"
                        + " optionally subject; columns are " + table.columns());
            }
        }
        List<Question> out = new ArrayList<>(table.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < table.size(); i++) {
            Map<String, Object> row = table.rows().get(i);
            String where = table.source() + " row " + (i + 1);
            String id = idColumn == null ? String.format(Locale.ROOT, "q%06d", i + 1) : text(row.get(idColumn));
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException(where + ": " + idColumn + " is empty");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException(where + ": id \"" + id + "\" is used by an earlier row");
            }
            String question = text(row.get("question"));
            if (question == null) {
                throw new IllegalArgumentException(where + ": question is missing");
            }
            List<String> choices = choices(row.get("choices"), where);
            int answer = answer(row.get("answer"), choices.size(), where);
            String subject = text(row.get("subject"));
            out.add(new Question(id, subject == null || subject.isBlank() ? "all" : subject, question, choices,
                    answer, row));
        }
        return out;
    }

    private static List<String> choices(Object value, String where) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ": choices must be a list of texts, was " + value);
        }
        if (list.size() < 2 || list.size() > MAX_CHOICES) {
            throw new IllegalArgumentException(where + ": choices must have 2 to " + MAX_CHOICES + " entries, had "
                    + list.size());
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o == null) {
                throw new IllegalArgumentException(where + ": choices must not hold null");
            }
            out.add(text(o));
        }
        return out;
    }

    private static int answer(Object value, int choices, String where) {
        int index;
        if (value instanceof Number n) {
            index = n.intValue();
        } else if (value instanceof String s && s.trim().matches("\\d+")) {
            index = Integer.parseInt(s.trim());
        } else if (value instanceof String s && s.trim().matches("[A-Za-z]")) {
            index = Character.toUpperCase(s.trim().charAt(0)) - 'A';
        } else {
            throw new IllegalArgumentException(where + ": answer must be the index of the right choice (or its "
                    + "letter), was " + value);
        }
        if (index < 0 || index >= choices) {
            throw new IllegalArgumentException(where + ": answer " + value + " is not one of the " + choices
                    + " choices");
        }
        return index;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
