package io.friendliflink.job.eval;

import io.friendliflink.job.rows.TableReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a dataset row's columns, each failing with the row's place, the column and the rule.
 *
 * <p>A struct column ({@code choices: struct<text, label>}) is a {@code Map} when read from Parquet or JSONL,
 * or JSON text in a CSV cell; both are accepted.
 */
final class Fields {
    static final int MAX_CHOICES = 26;

    private Fields() {}

    /** A column that must hold text. */
    static String text(Map<String, Object> row, String column, String where) {
        Object v = row.get(column);
        if (v == null) {
            throw new IllegalArgumentException(where + ": " + column + " is missing");
        }
        return v.toString();
    }

    static String optionalText(Map<String, Object> row, String column) {
        Object v = row.get(column);
        return v == null ? null : v.toString();
    }

    /** A list of 2 to 26 texts, none null. */
    static List<String> choices(Object value, String what, String where) {
        List<String> out = texts(value, what, where);
        if (out.size() < 2 || out.size() > MAX_CHOICES) {
            throw new IllegalArgumentException(where + ": " + what + " must have 2 to " + MAX_CHOICES
                    + " entries, had " + out.size());
        }
        return out;
    }

    /** A list of texts, none null. */
    static List<String> texts(Object value, String what, String where) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ": " + what + " must be a list of texts, was " + value);
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o == null) {
                throw new IllegalArgumentException(where + ": " + what + " must not hold null");
            }
            out.add(o.toString());
        }
        return out;
    }

    /** A struct column's fields. */
    static Map<String, Object> struct(Map<String, Object> row, String column, String where) {
        Object v = row.get(column);
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k.toString(), x));
            return out;
        }
        if (v instanceof String s && s.trim().startsWith("{")) {
            try {
                return TableReader.jsonObject(s);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + column + " is not a JSON object: " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(where + ": " + column + " must be a struct (a JSON object in JSONL),"
                + " was " + v);
    }

    /** A whole number, from an integer column or a text of digits. */
    static long integer(Object value, String what, String where) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof String s && s.trim().matches("-?\\d+")) {
            return Long.parseLong(s.trim());
        }
        throw new IllegalArgumentException(where + ": " + what + " must be a whole number, was " + value);
    }
}
