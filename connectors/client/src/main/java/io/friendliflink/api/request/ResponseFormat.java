package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code response_format} object: the enforced shape of the output.
 *
 * <p>Every variant keeps the keys it does not know in {@code extraFields}, sent back unchanged.
 */
public sealed interface ResponseFormat {

    /** The wire value of {@code type}. */
    default String type() {
        if (this instanceof Text) {
            return "text";
        }
        if (this instanceof JsonObject) {
            return "json_object";
        }
        return this instanceof JsonSchema ? "json_schema" : "regex";
    }

    Map<String, JsonNode> extraFields();

    static ResponseFormat text() {
        return new Text(Map.of());
    }

    static ResponseFormat jsonObject() {
        return new JsonObject(Map.of());
    }

    static ResponseFormat jsonSchema(JsonNode schema) {
        return new JsonSchema(schema, Map.of(), Map.of());
    }

    static ResponseFormat regex(String pattern) {
        return new Regex(pattern, Map.of());
    }

    /** {@code {"type": "text"}}. */
    record Text(Map<String, JsonNode> extraFields) implements ResponseFormat {
        public Text {
            extraFields = Frozen.extras(extraFields);
        }
    }

    /** {@code {"type": "json_object"}}. */
    record JsonObject(Map<String, JsonNode> extraFields) implements ResponseFormat {
        public JsonObject {
            extraFields = Frozen.extras(extraFields);
        }
    }

    /**
     * {@code {"type": "json_schema", "json_schema": {"schema": {...}, ...}}}.
     *
     * @param schema the JSON Schema object; shared, not copied: do not modify it afterwards
     * @param jsonSchemaExtraFields the other keys of the {@code json_schema} object (e.g. {@code name},
     *     {@code strict}), sent back unchanged
     */
    record JsonSchema(JsonNode schema, Map<String, JsonNode> jsonSchemaExtraFields, Map<String, JsonNode> extraFields)
            implements ResponseFormat {
        public JsonSchema {
            Objects.requireNonNull(schema, "schema");
            jsonSchemaExtraFields = Frozen.extras(jsonSchemaExtraFields);
            extraFields = Frozen.extras(extraFields);
        }
    }

    /** {@code {"type": "regex", "schema": "..."}}: the output matches the regular expression. */
    record Regex(String schema, Map<String, JsonNode> extraFields) implements ResponseFormat {
        public Regex {
            Objects.requireNonNull(schema, "schema");
            extraFields = Frozen.extras(extraFields);
        }
    }
}
