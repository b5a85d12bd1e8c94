package io.friendliflink.emulator.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A small, independent JSON-schema checker for the keywords the tests use. */
final class SchemaCheck {
    private SchemaCheck() {}

    static List<String> errors(JsonNode schema, JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "$", errors);
        return errors;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) {
                found |= option.equals(value);
            }
            if (!found) {
                errors.add(path + ": " + value + " not in enum");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    errors.add(path + ": not an object");
                    return;
                }
                for (JsonNode name : schema.path("required")) {
                    if (!value.has(name.asText())) {
                        errors.add(path + ": missing required " + name.asText());
                    }
                }
                JsonNode properties = schema.path("properties");
                for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (properties.has(e.getKey())) {
                        check(properties.get(e.getKey()), e.getValue(), path + "." + e.getKey(), errors);
                    } else if (schema.path("additionalProperties").isBoolean()
                            && !schema.get("additionalProperties").booleanValue()) {
                        errors.add(path + ": unexpected property " + e.getKey());
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    errors.add(path + ": not an array");
                    return;
                }
                if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                    errors.add(path + ": too few items");
                }
                if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                    errors.add(path + ": too many items");
                }
                for (int i = 0; i < value.size(); i++) {
                    if (schema.has("items")) {
                        check(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
                    }
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    errors.add(path + ": not a string");
                } else if (schema.has("pattern") && !value.textValue().matches(schema.get("pattern").asText())) {
                    errors.add(path + ": does not match pattern");
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    errors.add(path + ": not an integer");
                } else {
                    range(schema, value, path, errors);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    errors.add(path + ": not a number");
                } else {
                    range(schema, value, path, errors);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    errors.add(path + ": not a boolean");
                }
            }
            default -> errors.add(path + ": test checker does not know type '" + type + "'");
        }
    }

    private static void range(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (schema.has("minimum") && value.doubleValue() < schema.get("minimum").asDouble()) {
            errors.add(path + ": below minimum");
        }
        if (schema.has("maximum") && value.doubleValue() > schema.get("maximum").asDouble()) {
            errors.add(path + ": above maximum");
        }
    }
}
