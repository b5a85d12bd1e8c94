package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** Renders offending values as JSON text for {@link Violation}s, cut short so a huge prompt cannot flood a log. */
final class Values {
    static final int MAX_LENGTH = 200;

    private Values() {}

    static String of(JsonNode node) {
        return node == null ? null : cut(node.toString());
    }

    static String of(String text) {
        return text == null ? null : cut(TextNode.valueOf(text).toString());
    }

    static String of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String text) {
            return of(text);
        }
        return cut(String.valueOf(value));
    }

    /** A list as compact JSON text, e.g. {@code [1,2]}. */
    static String ofList(java.util.List<?> values) {
        StringBuilder text = new StringBuilder(Math.min(MAX_LENGTH + 8, 2 + values.size() * 4)).append('[');
        for (int i = 0; i < values.size() && text.length() <= MAX_LENGTH; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(of(values.get(i)));
        }
        return cut(text.append(']').toString());
    }

    private static String cut(String text) {
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "...";
    }
}
