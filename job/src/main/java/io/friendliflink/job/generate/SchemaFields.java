package io.friendliflink.job.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * The typed columns of a structured answer: when the {@code json_schema} of {@code generate.response-format} is an
 * object whose properties are all scalars ({@code string}, {@code integer}, {@code number}, {@code boolean}), each
 * property becomes a column of its type, so a dataset of generated records reads as a table. Any other schema (or
 * none) gives no columns: the answer stays JSON text in {@code generation}.
 *
 * @param types each property's JSON Schema type, in the schema's order; empty when the schema is not flat
 */
record SchemaFields(Map<String, String> types) {
    private static final ObjectMapper JSON = new ObjectMapper();

    SchemaFields {
        types = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(types));
    }

    /** The fields of {@code responseFormat} ({@code null}: none), leaving out none but refusing a name in {@code taken}. */
    static SchemaFields of(JsonNode responseFormat, Collection<String> taken) {
        Map<String, String> types = new LinkedHashMap<>();
        if (responseFormat == null || !"json_schema".equals(responseFormat.path("type").asText())) {
            return new SchemaFields(types);
        }
        JsonNode schema = responseFormat.path("json_schema").path("schema");
        JsonNode properties = schema.path("properties");
        if (!"object".equals(schema.path("type").asText()) || !properties.isObject() || properties.isEmpty()) {
            return new SchemaFields(Map.of());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            String type = p.getValue().path("type").asText();
            if (!List.of("string", "integer", "number", "boolean").contains(type) || taken.contains(p.getKey())) {
                return new SchemaFields(Map.of()); // not flat, or a name already used: the JSON text only
            }
            types.put(p.getKey(), type);
        }
        return new SchemaFields(types);
    }

    SchemaBuilder.FieldAssembler<Schema> addTo(SchemaBuilder.FieldAssembler<Schema> fields) {
        for (Map.Entry<String, String> e : types.entrySet()) {
            fields = switch (e.getValue()) {
                case "integer" -> fields.optionalLong(e.getKey());
                case "number" -> fields.optionalDouble(e.getKey());
                case "boolean" -> fields.optionalBoolean(e.getKey());
                default -> fields.optionalString(e.getKey());
            };
        }
        return fields;
    }

    /**
     * Each column's value parsed from {@code text}: null for a field missing or of another type (an answer that
     * does not parse has all of them null; its text is in {@code generation}).
     */
    List<Object> values(String text) {
        List<Object> values = new ArrayList<>(types.size());
        JsonNode answer = null;
        if (text != null && !types.isEmpty()) {
            try {
                answer = JSON.readTree(text);
            } catch (IOException e) {
                answer = null;
            }
        }
        for (Map.Entry<String, String> e : types.entrySet()) {
            JsonNode v = answer == null ? null : answer.get(e.getKey());
            values.add(v == null ? null : switch (e.getValue()) {
                case "integer" -> v.canConvertToLong() && v.isIntegralNumber() ? v.longValue() : null;
                case "number" -> v.isNumber() ? v.doubleValue() : null;
                case "boolean" -> v.isBoolean() ? v.booleanValue() : null;
                default -> v.isTextual() ? v.textValue() : null;
            });
        }
        return values;
    }
}
