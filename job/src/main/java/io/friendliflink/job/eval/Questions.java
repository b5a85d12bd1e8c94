package io.friendliflink.job.eval;

import io.friendliflink.job.rows.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a table's rows into the questions of a {@link Task}, rejecting a row that does not fit with its row
 * number and the rule.
 *
 * <p>Without an id column a question's id is its row number, {@code q000001}, so the same file always gives
 * the same ids (which resuming a run relies on).
 */
final class Questions {
    private Questions() {}

    static List<Question> from(Table table, Task task, String idColumn) {
        if (idColumn != null && !table.columns().contains(idColumn)) {
            throw new IllegalArgumentException(table.source() + " has no column \"" + idColumn
                    + "\" (evaluate.id-column); columns are " + table.columns());
        }
        for (String required : task.columns()) {
            if (!table.columns().contains(required)) {
                throw new IllegalArgumentException(table.source() + " has no column \"" + required + "\"; "
                        + task.name() + " reads " + task.columns() + " (the " + task.dataset() + " layout)"
                        + "; columns are " + table.columns());
            }
        }
        List<Question> out = new ArrayList<>(table.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < table.size(); i++) {
            Map<String, Object> row = table.rows().get(i);
            String where = table.source() + " row " + (i + 1);
            Object idValue = idColumn == null ? null : row.get(idColumn);
            String id = idColumn == null ? String.format(Locale.ROOT, "q%06d", i + 1)
                    : idValue == null ? null : idValue.toString();
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException(where + ": " + idColumn + " is empty");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException(where + ": id \"" + id + "\" is used by an earlier row");
            }
            out.add(task.question(id, Fields.of(row, where)));
        }
        return out;
    }
}
