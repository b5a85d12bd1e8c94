package io.friendliflink.api.response;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.StringWriter;

/** The one JSON factory of the response readers, and the typed reads they share. */
final class JsonReading {
    /**
     * Shared and thread-safe. Non-numeric numbers are allowed because Python servers write a logprob of
     * an impossible token as {@code -Infinity} (json.dumps does so by default).
     */
    static final JsonFactory FACTORY =
            JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private JsonReading() {}

    static String string(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw unexpected(p, path, "a string");
    }

    /** A string, or a number written as its text: ids are strings by contract but not every server agrees. */
    static String scalarText(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw unexpected(p, path, "a string");
    }

    static Long longValue(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw unexpected(p, path, "an integer");
    }

    static Integer intValue(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw unexpected(p, path, "an integer");
    }

    /** A logprob; JSON {@code null} (no value, e.g. the first token of an echoed prompt) becomes NaN. */
    static double logprob(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return Double.NaN;
        }
        throw unexpected(p, path, "a number");
    }

    /** Whether the current token opens the expected container; {@code false} for JSON null. */
    static boolean open(JsonParser p, JsonToken start, String path) {
        JsonToken t = p.currentToken();
        if (t == start) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw unexpected(p, path, start == JsonToken.START_ARRAY ? "an array" : "an object");
    }

    /** The current value as text: a string as it is, anything else as its JSON. */
    static String rawText(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    static MalformedBodyException unexpected(JsonParser p, String path, String expected) {
        return new MalformedBodyException(
                path + ": expected " + expected + " but found " + describe(p.currentToken()) + " at offset "
                        + offset(p));
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    private static long offset(JsonParser p) {
        JsonLocation l = p.currentTokenLocation();
        long bytes = l.getByteOffset();
        return bytes >= 0 ? bytes : l.getCharOffset();
    }

    /** A body for an exception message: at most {@code max} characters, whitespace runs collapsed. */
    static String shorten(String text, int max) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 24);
        boolean space = false;
        int i = 0;
        for (; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        if (i < text.length()) {
            out.append("… (").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
