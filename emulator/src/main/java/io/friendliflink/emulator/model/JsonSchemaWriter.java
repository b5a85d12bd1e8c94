package io.friendliflink.emulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a JSON value that satisfies a JSON schema, choosing values with a seeded random source.
 *
 * <p>Supported: {@code type} (string, number, integer, boolean, null, object, array, or a list of
 * these: the first non-null one is used), {@code properties} and {@code required} (required properties
 * always, optional ones half of the time, in declaration order), {@code items}, {@code minItems},
 * {@code maxItems}, {@code enum}, {@code const}, {@code minimum}/{@code maximum} and their exclusive
 * forms, {@code minLength}/{@code maxLength}, {@code pattern} (through {@link RegexWriter}),
 * {@code format} date, date-time, email, uri and uuid, {@code anyOf}/{@code oneOf} (one branch),
 * {@code allOf} of object schemas (merged), and local {@code $ref}s into {@code $defs} or
 * {@code definitions}. An object schema without {@code properties} gets a few word-named properties
 * unless {@code additionalProperties} is false. Other keywords are ignored; an unknown type or an
 * unresolvable {@code $ref} is an {@link IllegalArgumentException}.
 */
final class JsonSchemaWriter {

    private static final int MAX_DEPTH = 32;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Vocabulary vocabulary;
    private final JsonNode root;
    private final SplittableRandom random;

    JsonSchemaWriter(Vocabulary vocabulary, JsonNode root, SplittableRandom random) {
        this.vocabulary = vocabulary;
        this.root = root;
        this.random = random;
    }

    /** A JSON object with a few word-named properties, for {@code json_object}. */
    static JsonNode anyObject(Vocabulary vocabulary, SplittableRandom random) {
        return new JsonSchemaWriter(vocabulary, NODES.objectNode(), random).freeObject(0);
    }

    JsonNode write() {
        return value(root, 0, "$");
    }

    private JsonNode value(JsonNode schema, int depth, String path) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("json_schema nests deeper than " + MAX_DEPTH + " levels at " + path);
        }
        if (schema == null || schema.isBoolean() || schema.isEmpty()) {
            return NODES.textNode(words(1 + random.nextInt(3)));
        }
        JsonNode ref = schema.get("$ref");
        if (ref != null) {
            return value(resolve(ref.asText(), path), depth + 1, path);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        JsonNode options = schema.has("enum") ? schema.get("enum") : null;
        if (options != null && options.isArray() && options.size() > 0) {
            return options.get(random.nextInt(options.size()));
        }
        for (String key : new String[] {"anyOf", "oneOf"}) {
            JsonNode branches = schema.get(key);
            if (branches != null && branches.isArray() && branches.size() > 0) {
                return value(branches.get(random.nextInt(branches.size())), depth + 1, path);
            }
        }
        if (schema.has("allOf")) {
            return value(mergeAllOf(schema, path), depth + 1, path);
        }
        String type = type(schema, path);
        return switch (type) {
            case "object" -> object(schema, depth, path);
            case "array" -> array(schema, depth, path);
            case "string" -> string(schema);
            case "integer" -> integer(schema);
            case "number" -> number(schema);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "null" -> NODES.nullNode();
            default -> throw new IllegalArgumentException(
                    "json_schema type '" + type + "' at " + path + " is not supported");
        };
    }

    private String type(JsonNode schema, String path) {
        JsonNode type = schema.get("type");
        if (type == null) {
            if (schema.has("properties")) {
                return "object";
            }
            return schema.has("items") ? "array" : "string";
        }
        if (type.isTextual()) {
            return type.textValue();
        }
        if (type.isArray() && type.size() > 0) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        throw new IllegalArgumentException("json_schema 'type' at " + path + " must be a string or array, got " + type);
    }

    private JsonNode resolve(String ref, String path) {
        String prefix;
        if (ref.startsWith("#/$defs/")) {
            prefix = "$defs";
        } else if (ref.startsWith("#/definitions/")) {
            prefix = "definitions";
        } else if (ref.equals("#")) {
            return root;
        } else {
            throw new IllegalArgumentException("json_schema $ref '" + ref + "' at " + path + " is not a local definition");
        }
        JsonNode target = root.path(prefix).get(ref.substring(prefix.length() + 3));
        if (target == null) {
            throw new IllegalArgumentException("json_schema $ref '" + ref + "' at " + path + " does not resolve");
        }
        return target;
    }

    private JsonNode mergeAllOf(JsonNode schema, String path) {
        ObjectNode merged = NODES.objectNode();
        ObjectNode properties = NODES.objectNode();
        ArrayNode required = NODES.arrayNode();
        for (JsonNode part : schema.get("allOf")) {
            JsonNode resolved = part.has("$ref") ? resolve(part.get("$ref").asText(), path) : part;
            resolved.fields().forEachRemaining(e -> {
                switch (e.getKey()) {
                    case "properties" -> properties.setAll((ObjectNode) e.getValue());
                    case "required" -> required.addAll((ArrayNode) e.getValue());
                    default -> merged.set(e.getKey(), e.getValue());
                }
            });
        }
        schema.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("allOf")) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        if (!properties.isEmpty()) {
            merged.set("properties", properties);
            merged.put("type", "object");
        }
        if (!required.isEmpty()) {
            merged.set("required", required);
        }
        return merged;
    }

    private JsonNode object(JsonNode schema, int depth, String path) {
        JsonNode properties = schema.get("properties");
        if (properties == null || !properties.isObject() || properties.isEmpty()) {
            JsonNode additional = schema.get("additionalProperties");
            if (additional != null && additional.isBoolean() && !additional.booleanValue()) {
                return NODES.objectNode();
            }
            if (additional != null && additional.isObject()) {
                ObjectNode out = NODES.objectNode();
                int count = 1 + random.nextInt(3);
                for (int i = 0; i < count; i++) {
                    String key = vocabulary.plainWord(random.nextInt());
                    out.set(key, value(additional, depth + 1, path + "." + key));
                }
                return out;
            }
            return freeObject(depth);
        }
        JsonNode required = schema.path("required");
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            boolean isRequired = false;
            for (JsonNode name : required) {
                isRequired |= name.asText().equals(e.getKey());
            }
            if (isRequired || random.nextBoolean()) {
                out.set(e.getKey(), value(e.getValue(), depth + 1, path + "." + e.getKey()));
            }
        }
        return out;
    }

    private ObjectNode freeObject(int depth) {
        ObjectNode out = NODES.objectNode();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            String key = vocabulary.plainWord(random.nextInt());
            switch (random.nextInt(3)) {
                case 0 -> out.put(key, words(1 + random.nextInt(3)));
                case 1 -> out.put(key, random.nextInt(1000));
                default -> out.put(key, random.nextBoolean());
            }
        }
        return out;
    }

    private JsonNode array(JsonNode schema, int depth, String path) {
        int min = schema.path("minItems").asInt(1);
        int max = schema.has("maxItems") ? schema.get("maxItems").asInt() : min + 2;
        max = Math.max(min, Math.min(max, min + 4));
        int count = min + random.nextInt(max - min + 1);
        ArrayNode out = NODES.arrayNode(count);
        JsonNode items = schema.get("items");
        for (int i = 0; i < count; i++) {
            out.add(value(items, depth + 1, path + "[" + i + "]"));
        }
        return out;
    }

    private JsonNode string(JsonNode schema) {
        if (schema.has("pattern")) {
            return NODES.textNode(RegexWriter.compile(schema.get("pattern").asText()).write(random));
        }
        String format = schema.path("format").asText("");
        String text = switch (format) {
            case "date" -> String.format(java.util.Locale.ROOT, "20%02d-%02d-%02d", random.nextInt(30), 1 + random.nextInt(12), 1 + random.nextInt(28));
            case "date-time" -> String.format(
                    java.util.Locale.ROOT,
                    "20%02d-%02d-%02dT%02d:%02d:%02dZ",
                    random.nextInt(30), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60));
            case "email" -> vocabulary.plainWord(random.nextInt()).toLowerCase() + "@example.com";
            case "uri", "url" -> "https://example.com/" + vocabulary.plainWord(random.nextInt()).toLowerCase();
            case "uuid" -> new java.util.UUID(random.nextLong(), random.nextLong()).toString();
            default -> words(1 + random.nextInt(3));
        };
        int minLength = schema.path("minLength").asInt(0);
        int maxLength = schema.has("maxLength") ? schema.get("maxLength").asInt() : Integer.MAX_VALUE;
        StringBuilder padded = new StringBuilder(text);
        while (padded.length() < minLength) {
            padded.append(padded.length() == 0 ? "a" : " ").append(vocabulary.plainWord(random.nextInt()));
        }
        String result = padded.length() > maxLength ? padded.substring(0, maxLength) : padded.toString();
        return NODES.textNode(result);
    }

    private JsonNode integer(JsonNode schema) {
        long low = schema.has("minimum") ? (long) Math.ceil(schema.get("minimum").asDouble()) : 0;
        long high = schema.has("maximum") ? (long) Math.floor(schema.get("maximum").asDouble()) : low + 100;
        if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isNumber()) {
            low = Math.max(low, (long) Math.floor(schema.get("exclusiveMinimum").asDouble()) + 1);
        }
        if (schema.has("exclusiveMaximum") && schema.get("exclusiveMaximum").isNumber()) {
            high = Math.min(high, (long) Math.ceil(schema.get("exclusiveMaximum").asDouble()) - 1);
        }
        if (!schema.has("maximum") && !schema.has("exclusiveMaximum")) {
            high = Math.max(high, low + 100);
        }
        if (high < low) {
            throw new IllegalArgumentException("json_schema integer range [" + low + ", " + high + "] is empty");
        }
        return NODES.numberNode(low + random.nextLong(high - low + 1));
    }

    private JsonNode number(JsonNode schema) {
        double low = schema.has("minimum") ? schema.get("minimum").asDouble() : 0;
        double high = schema.has("maximum") ? schema.get("maximum").asDouble() : low + 100;
        boolean exclusiveLow = false;
        boolean exclusiveHigh = false;
        if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isNumber()) {
            low = Math.max(low, schema.get("exclusiveMinimum").asDouble());
            exclusiveLow = true;
        }
        if (schema.has("exclusiveMaximum") && schema.get("exclusiveMaximum").isNumber()) {
            high = Math.min(high, schema.get("exclusiveMaximum").asDouble());
            exclusiveHigh = true;
        }
        if (!schema.has("maximum") && !schema.has("exclusiveMaximum")) {
            high = Math.max(high, low + 100);
        }
        if (high < low || (high == low && (exclusiveLow || exclusiveHigh))) {
            throw new IllegalArgumentException("json_schema number range [" + low + ", " + high + "] is empty");
        }
        double x = low + (high - low) * (0.05 + 0.9 * random.nextDouble());
        BigDecimal rounded = BigDecimal.valueOf(x).setScale(2, RoundingMode.HALF_EVEN);
        if (rounded.doubleValue() < low || rounded.doubleValue() > high
                || (exclusiveLow && rounded.doubleValue() == low) || (exclusiveHigh && rounded.doubleValue() == high)) {
            rounded = BigDecimal.valueOf(x);
        }
        return NODES.numberNode(rounded);
    }

    private String words(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(vocabulary.plainWord(random.nextInt()));
        }
        return out.toString();
    }
}
