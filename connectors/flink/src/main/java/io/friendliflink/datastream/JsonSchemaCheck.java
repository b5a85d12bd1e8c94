package io.friendliflink.datastream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.friendliflink.api.response.Choice;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.client.PreparedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.annotation.PublicEvolving;

/**
 * Checks every choice of an answer to a request with a {@code json_schema} {@code response_format} against that
 * schema, with networknt's JSON Schema validator (draft 2020-12 unless the schema names its {@code $schema}).
 * Answers to other requests, and choices that hold only tool calls, pass unchecked.
 *
 * <p>An endpoint that enforces the schema while decoding still answers outside it when it is cut off
 * ({@code finish_reason: length}) or ignores the format (some OpenAI-compatible servers do): such answers are
 * not worth storing as results.
 */
@PublicEvolving
public final class JsonSchemaCheck implements OutputCheck {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MARKER = "json_schema".getBytes(StandardCharsets.US_ASCII);
    /** Distinct schemas kept compiled; a run usually has one, a generated input a few. */
    private static final int MAX_SCHEMAS = 64;
    /** Validator messages quoted in one violation. */
    private static final int MAX_MESSAGES = 5;

    private transient SchemaRegistry registry;
    private transient Map<String, Schema> compiled;

    @Override
    public String violation(PreparedRequest request, InferenceResult result) {
        if (!contains(request.body(), MARKER)) {
            return null; // the common case: no schema to check, and no need to read the body again
        }
        JsonNode schemaNode = schemaOf(request.body());
        if (schemaNode == null) {
            return null;
        }
        Schema schema = compile(schemaNode);
        for (Choice choice : result.choices()) {
            String problem = check(schema, choice);
            if (problem != null) {
                return result.choices().size() == 1 ? problem : "choice " + choice.index() + ": " + problem;
            }
        }
        return null;
    }

    private static String check(Schema schema, Choice choice) {
        String text = choice.text();
        if (text == null) {
            return choice.toolCalls().isEmpty() ? "the answer has no content to check against the json_schema" : null;
        }
        JsonNode value;
        try {
            value = JSON.readTree(text);
        } catch (IOException e) {
            return "the answer is not JSON (finish_reason " + choice.finishReason() + "): "
                    + firstLine(e.getMessage());
        }
        if (value == null || value.isMissingNode()) {
            return "the answer is empty (finish_reason " + choice.finishReason() + ")";
        }
        List<Error> errors = schema.validate(value);
        if (errors.isEmpty()) {
            return null;
        }
        StringBuilder message = new StringBuilder("the answer does not match the json_schema: ");
        for (int i = 0; i < Math.min(MAX_MESSAGES, errors.size()); i++) {
            message.append(i == 0 ? "" : "; ").append(errors.get(i).toString());
        }
        if (errors.size() > MAX_MESSAGES) {
            message.append("; and ").append(errors.size() - MAX_MESSAGES).append(" more");
        }
        return message.toString();
    }

    private Schema compile(JsonNode schemaNode) {
        Map<String, Schema> cache = cache();
        String key = schemaNode.toString();
        Schema schema = cache.get(key);
        if (schema == null) {
            if (cache.size() >= MAX_SCHEMAS) {
                cache.clear(); // many distinct schemas: compile again rather than grow without bound
            }
            schema = registry.getSchema(schemaNode);
            cache.put(key, schema);
        }
        return schema;
    }

    private synchronized Map<String, Schema> cache() {
        if (compiled == null) {
            registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
            compiled = new ConcurrentHashMap<>();
        }
        return compiled;
    }

    private static JsonNode schemaOf(byte[] body) {
        try {
            JsonNode format = JSON.readTree(body).path("response_format");
            if (!"json_schema".equals(format.path("type").asText())) {
                return null;
            }
            JsonNode schema = format.path("json_schema").path("schema");
            return schema.isObject() || schema.isBoolean() ? schema : null;
        } catch (IOException e) {
            return null; // the body was written by us from a checked request: cannot happen
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
