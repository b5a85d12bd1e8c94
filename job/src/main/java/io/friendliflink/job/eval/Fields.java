package io.friendliflink.job.eval;

import io.friendliflink.job.rows.TableReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of one dataset row, or the fields of one of its struct columns, read as the type a task needs;
 * a read that fails names the row's place, the column and the rule.
 *
 * <p>A struct column ({@code choices: struct<text, label>}) is a {@code Map} when read from Parquet or JSONL,
 * or JSON text in a CSV cell; both are accepted. Its fields are named {@code column.field} in messages.
 *
 * @param values the row (or struct) by column name
 * @param where the row's place, for messages ({@code file row 3})
 * @param prefix what a name is prefixed with in messages: empty for a row, {@code "choices."} for a struct
 */
record Fields(Map<String, Object> values, String where, String prefix) {
    static final int MAX_CHOICES = 26;

    /** The columns of a row. */
    static Fields of(Map<String, Object> row, String where) {
        return new Fields(row, where, "");
    }

    /** A column that must hold text. */
    String text(String column) {
        Object v = values.get(column);
        if (v == null) {
            throw refused(prefix + column + " is missing");
        }
        return v.toString();
    }

    String optionalText(String column) {
        Object v = values.get(column);
        return v == null ? null : v.toString();
    }

    /** A list of 2 to 26 texts, none null. */
    List<String> choices(String column) {
        List<String> out = texts(column);
        if (out.size() < 2 || out.size() > MAX_CHOICES) {
            throw refused(prefix + column + " must have 2 to " + MAX_CHOICES + " entries, had " + out.size());
        }
        return out;
    }

    /** A list of texts, none null. */
    List<String> texts(String column) {
        if (!(values.get(column) instanceof List<?> list)) {
            throw refused(prefix + column + " must be a list of texts, was " + values.get(column));
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o == null) {
                throw refused(prefix + column + " must not hold null");
            }
            out.add(o.toString());
        }
        return out;
    }

    /** A struct column's fields. */
    Fields struct(String column) {
        Object v = values.get(column);
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> fields = new LinkedHashMap<>();
            m.forEach((k, x) -> fields.put(k.toString(), x));
            return new Fields(fields, where, prefix + column + ".");
        }
        if (v instanceof String s && s.trim().startsWith("{")) {
            try {
                return new Fields(TableReader.jsonObject(s), where, prefix + column + ".");
            } catch (IllegalArgumentException e) {
                throw refused(prefix + column + " is not a JSON object: " + e.getMessage());
            }
        }
        throw refused(prefix + column + " must be a struct (a JSON object in JSONL), was " + v);
    }

    /** A whole number, from an integer column or a text of digits. */
    long integer(String column) {
        Object v = values.get(column);
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            return ((Number) v).longValue();
        }
        if (v instanceof String s && s.trim().matches("-?\\d+")) {
            return Long.parseLong(s.trim());
        }
        throw refused(prefix + column + " must be a whole number, was " + v);
    }

    /** The exception refusing the row: its place, then {@code rule}. */
    IllegalArgumentException refused(String rule) {
        return new IllegalArgumentException(where + ": " + rule);
    }
}
