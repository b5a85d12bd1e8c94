package io.friendliflink.api.response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an error response body in any of the shapes seen in the wild; never throws.
 *
 * <p>Shapes, tried in order: {@code {"error":{"message","type","param","code"}}} (code a string or a
 * number; {@code "error"} may also be a bare string), {@code {"message":"..."}} (with {@code type},
 * {@code param}, {@code code} beside it when present), {@code {"detail":"..."}}, and FastAPI's
 * {@code {"detail":[{"loc":[...],"msg","type"}]}}, whose entries are joined as
 * {@code "body.temperature: msg (type); ..."}. Anything else (HTML, empty, not JSON, JSON of another shape)
 * gives {@code message} = the body with whitespace collapsed and cut to {@value #MAX_MESSAGE_CHARS}
 * characters; {@code rawBody} is always the whole body.
 */
public final class ErrorBodyParser {
    /** How much of an unrecognised body goes into the message; the raw body keeps all of it. */
    public static final int MAX_MESSAGE_CHARS = 300;

    // Error bodies are rare and small: a tree keeps the shape matching readable.
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonReading.FACTORY);

    private ErrorBodyParser() {}

    public static ApiError parse(byte[] body) {
        return parse(body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }

    public static ApiError parse(String body) {
        String raw = body == null ? "" : body;
        try {
            ApiError known = known(raw);
            if (known != null) {
                return known;
            }
        } catch (Exception e) {
            // Not JSON, or JSON we cannot read: the raw body below says what there is to say.
        }
        return new ApiError(fallbackMessage(raw), null, null, null, raw);
    }

    private static ApiError known(String raw) throws Exception {
        if (raw.isBlank()) {
            return null;
        }
        JsonNode root = MAPPER.readTree(raw);
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode error = root.get("error");
        if (error != null && error.isObject()) {
            String message = text(error.get("message"));
            return new ApiError(
                    message != null ? message : fallbackMessage(raw),
                    text(error.get("type")),
                    text(error.get("param")),
                    text(error.get("code")),
                    raw);
        }
        if (error != null && error.isTextual()) {
            return new ApiError(error.asText(), null, null, null, raw);
        }
        String message = text(root.get("message"));
        if (message != null) {
            return new ApiError(message, text(root.get("type")), text(root.get("param")), text(root.get("code")), raw);
        }
        JsonNode detail = root.get("detail");
        if (detail != null && detail.isTextual()) {
            return new ApiError(detail.asText(), null, null, null, raw);
        }
        if (detail != null && detail.isArray() && !detail.isEmpty()) {
            return fastApi(detail, raw);
        }
        return null;
    }

    /** FastAPI's validation errors: every entry is kept, each with where it points. */
    private static ApiError fastApi(JsonNode detail, String raw) {
        List<String> parts = new ArrayList<>(detail.size());
        String firstType = null;
        for (JsonNode entry : detail) {
            if (!entry.isObject()) {
                parts.add(entry.isTextual() ? entry.asText() : entry.toString());
                continue;
            }
            StringBuilder part = new StringBuilder();
            JsonNode loc = entry.get("loc");
            if (loc != null && loc.isArray() && !loc.isEmpty()) {
                for (JsonNode step : loc) {
                    if (part.length() > 0) {
                        part.append('.');
                    }
                    part.append(step.asText());
                }
                part.append(": ");
            }
            String msg = text(entry.get("msg"));
            part.append(msg != null ? msg : entry.toString());
            String type = text(entry.get("type"));
            if (type != null) {
                part.append(" (").append(type).append(')');
                if (firstType == null) {
                    firstType = type;
                }
            }
            parts.add(part.toString());
        }
        return new ApiError(String.join("; ", parts), firstType, null, null, raw);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        return node.asText();
    }

    private static String fallbackMessage(String raw) {
        if (raw.isBlank()) {
            return "(empty body)";
        }
        return JsonReading.shorten(raw, MAX_MESSAGE_CHARS);
    }
}
