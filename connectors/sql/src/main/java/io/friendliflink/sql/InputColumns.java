package io.friendliflink.sql;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * Where a model's input columns are in the row {@code ML_PREDICT} hands over: the first is the text (the prompt,
 * or the user message); the others, by name, a {@value #SYSTEM_PROMPT} and a {@value #BODY} of per-row body
 * fields (a JSON object).
 *
 * @param system the position of the system prompt column, or -1
 * @param body the position of the body column, or -1
 */
record InputColumns(int system, int body) implements Serializable {
    static final String SYSTEM_PROMPT = "system_prompt";
    static final String BODY = "body";
    static final int TEXT = 0;

    /** @throws IllegalArgumentException naming what is wrong with the model's {@code INPUT (...)} */
    static InputColumns of(ResolvedSchema input) {
        List<Column> columns = input.getColumns();
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("the model needs an input column: INPUT (prompt STRING)");
        }
        requireString(columns.get(TEXT), "its first input column (the prompt, or the user message)");
        int system = -1;
        int body = -1;
        for (int i = 1; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.getName().equals(SYSTEM_PROMPT) && system < 0) {
                requireString(c, "input column " + SYSTEM_PROMPT);
                system = i;
            } else if (c.getName().equals(BODY) && body < 0) {
                requireString(c, "input column " + BODY + " (a JSON object of request body fields)");
                body = i;
            } else {
                throw new IllegalArgumentException("input column '" + c.getName() + "' is not one the friendli"
                        + " provider knows: after the first (the text), only " + SYSTEM_PROMPT + " STRING and "
                        + BODY + " STRING (a JSON object of request body fields), each at most once");
            }
        }
        return new InputColumns(system, body);
    }

    private static void requireString(Column c, String what) {
        LogicalType type = c.getDataType().getLogicalType();
        if (!type.is(LogicalTypeFamily.CHARACTER_STRING)) {
            throw new IllegalArgumentException(what + " must be STRING, but '" + c.getName() + "' is " + type);
        }
    }
}
