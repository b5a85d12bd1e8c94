package io.friendliflink.api.response;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code tool_status} event of tool-assisted chat: a built-in tool started, progressed, ended or failed.
 *
 * @param status {@code STARTED}, {@code UPDATING}, {@code ENDED} or {@code ERRORED}
 * @param parameters the tool's parameters as name/value pairs, in the order sent
 * @param result the tool's result text, or {@code null}
 * @param errorType {@code error.type}, or {@code null}
 * @param errorMessage {@code error.msg}, or {@code null}
 * @param rawJson the event's data exactly as received, so nothing the endpoint adds is lost
 */
public record ToolStatusEvent(
        String toolCallId,
        String name,
        String status,
        List<Parameter> parameters,
        String result,
        String message,
        String errorType,
        String errorMessage,
        Long timestamp,
        String rawJson) {
    public ToolStatusEvent {
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /** One {@code {"name","value"}} entry of {@code parameters}. */
    public record Parameter(String name, String value) {}

    /**
     * Reads the data of a {@code tool_status} event. A {@code result} or parameter {@code value} that is
     * not a string is kept as its JSON text; a fractional {@code timestamp} is truncated to whole units
     * ({@code rawJson} keeps the exact value); {@code files} and {@code usage} are only in {@code rawJson}.
     *
     * @throws MalformedBodyException when the data is not a JSON object or a field has the wrong type
     */
    public static ToolStatusEvent fromJson(String json) {
        try (JsonParser p = JsonReading.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw JsonReading.unexpected(p, "tool_status", "a JSON object");
            }
            String toolCallId = null;
            String name = null;
            String status = null;
            List<Parameter> parameters = null;
            String result = null;
            String message = null;
            String errorType = null;
            String errorMessage = null;
            Long timestamp = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "tool_call_id" -> toolCallId = JsonReading.scalarText(p, "tool_status.tool_call_id");
                    case "name" -> name = JsonReading.string(p, "tool_status.name");
                    case "status" -> status = JsonReading.string(p, "tool_status.status");
                    case "parameters" -> parameters = readParameters(p);
                    case "result" -> result = JsonReading.rawText(p);
                    case "message" -> message = JsonReading.rawText(p);
                    case "error" -> {
                        if (JsonReading.open(p, JsonToken.START_OBJECT, "tool_status.error")) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String errorField = p.currentName();
                                p.nextToken();
                                switch (errorField) {
                                    case "type" -> errorType = JsonReading.rawText(p);
                                    case "msg" -> errorMessage = JsonReading.rawText(p);
                                    default -> p.skipChildren();
                                }
                            }
                        }
                    }
                    case "timestamp" -> timestamp = readTimestamp(p);
                    default -> p.skipChildren();
                }
            }
            return new ToolStatusEvent(
                    toolCallId, name, status, parameters, result, message, errorType, errorMessage, timestamp, json);
        } catch (IOException e) {
            throw new MalformedBodyException("tool_status data is not valid JSON: " + JsonReading.shorten(json, 200), e);
        }
    }

    private static List<Parameter> readParameters(JsonParser p) throws IOException {
        if (!JsonReading.open(p, JsonToken.START_ARRAY, "tool_status.parameters")) {
            return null;
        }
        List<Parameter> parameters = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!JsonReading.open(p, JsonToken.START_OBJECT, "tool_status.parameters[]")) {
                throw JsonReading.unexpected(p, "tool_status.parameters[]", "an object");
            }
            String name = null;
            String value = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "name" -> name = JsonReading.string(p, "tool_status.parameters[].name");
                    case "value" -> value = JsonReading.rawText(p);
                    default -> p.skipChildren();
                }
            }
            parameters.add(new Parameter(name, value));
        }
        return parameters;
    }

    private static Long readTimestamp(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) p.getDoubleValue();
        }
        return JsonReading.longValue(p, "tool_status.timestamp");
    }
}
