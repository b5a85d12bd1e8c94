package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Comparator;

/** Test helpers: parse JSON text, and compare trees with numbers by value (1 and 1.0 are one number). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return 1;
    };

    private Json() {}

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code base} with {@code field} set to the JSON text {@code value} (added last, or replaced in place). */
    static ObjectNode with(String base, String field, String value) {
        ObjectNode body = (ObjectNode) parse(base);
        body.set(field, parse(value));
        return body;
    }

    static boolean sameTree(JsonNode a, JsonNode b) {
        return a.equals(NUMBERS_BY_VALUE, b);
    }
}
