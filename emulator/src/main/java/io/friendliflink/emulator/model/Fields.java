package io.friendliflink.emulator.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed reads of request fields that fail with a message naming the field. */
final class Fields {
    private Fields() {}

    static JsonNode node(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node;
    }

    static Integer integer(JsonNode body, String field) {
        JsonNode node = node(body, field);
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be an integer, got " + node);
        }
        return node.intValue();
    }

    static int integer(JsonNode body, String field, int fallback) {
        Integer value = integer(body, field);
        return value == null ? fallback : value;
    }

    static double number(JsonNode body, String field, double fallback) {
        JsonNode node = node(body, field);
        if (node == null) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number, got " + node);
        }
        return node.doubleValue();
    }

    static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode node = node(body, field);
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw new IllegalArgumentException(field + " must be a boolean, got " + node);
        }
        return node.booleanValue();
    }

    static int[] intArray(JsonNode node, String what) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(what + " must be an array of integers, got " + node);
        }
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode item = node.get(i);
            if (!item.isIntegralNumber() || !item.canConvertToInt()) {
                throw new IllegalArgumentException(what + "[" + i + "] must be an integer, got " + item);
            }
            out[i] = item.intValue();
        }
        return out;
    }

    static String text(JsonNode node, String what) {
        if (!node.isTextual()) {
            throw new IllegalArgumentException(what + " must be a string, got " + node);
        }
        return node.textValue();
    }
}
