package io.friendliflink.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.request.CheckedRequest;
import io.friendliflink.api.request.RequestCheck;
import io.friendliflink.api.request.Violation;
import java.util.stream.Collectors;

/**
 * Reads one line of the OpenAI Batch input format into a request to send, or the reason it cannot be.
 *
 * <p>A line is {@code {"custom_id": "...", "method": "POST", "url": "/v1/chat/completions", "body": {...}}}.
 * {@code url} is {@code /v1/chat/completions} or {@code /v1/completions} (sent to the configured
 * endpoint's path), or a full Friendli path such as {@code /serverless/tools/v1/chat/completions}.
 * {@code method} may be left out. The body gets the configured defaults, then passes {@link RequestCheck}.
 * Never throws for bad input: every problem is a {@link RejectedLine}.
 *
 * <p>{@code
 * ParsedLine p = new RequestLineParser(defaults, 4096).parse(inputLine);
 * if (p.isAccepted()) send(p.accepted()); else writeError(p.rejected());
 * }
 */
public final class RequestLineParser implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestDefaults defaults;
    private final int maxRawLineChars;

    /**
     * @param maxRawLineChars how much of a line an error row keeps; longer lines are cut and marked
     */
    public RequestLineParser(RequestDefaults defaults, int maxRawLineChars) {
        if (maxRawLineChars < 16) {
            throw new IllegalArgumentException("maxRawLineChars must be at least 16, was " + maxRawLineChars);
        }
        this.defaults = defaults;
        this.maxRawLineChars = maxRawLineChars;
    }

    /** {@link #parse(InputLine)} of a line whose source is not known. */
    public ParsedLine parse(String line) {
        return parse(InputLine.of(line));
    }

    public ParsedLine parse(InputLine input) {
        String line = input.text();
        String source = input.source();
        String raw = shorten(line);
        JsonNode root;
        try {
            root = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return reject(null, RejectedLine.INVALID_JSON, "line is not valid JSON: " + e.getOriginalMessage(), raw,
                    source);
        }
        if (root == null || !root.isObject()) {
            return reject(null, RejectedLine.INVALID_JSON, "line must be a JSON object, was " + describe(root), raw, source);
        }
        JsonNode id = root.get("custom_id");
        if (id == null || id.isNull() || !id.isTextual() || id.asText().isEmpty()) {
            return reject(null, RejectedLine.MISSING_CUSTOM_ID, "custom_id must be a non-empty string, was "
                    + describe(id), raw, source);
        }
        String customId = id.asText();

        JsonNode method = root.get("method");
        if (method != null && !(method.isTextual() && method.asText().equalsIgnoreCase("POST"))) {
            return reject(customId, RejectedLine.UNSUPPORTED_METHOD, "method must be POST, was " + method, raw, source);
        }
        JsonNode urlNode = root.get("url");
        if (urlNode == null || !urlNode.isTextual()) {
            return reject(customId, RejectedLine.UNSUPPORTED_URL, "url must be a string such as "
                    + "\"/v1/chat/completions\", was " + describe(urlNode), raw, source);
        }
        String url = urlNode.asText();
        Route route = Route.of(url);
        if (route == null) {
            return reject(customId, RejectedLine.UNSUPPORTED_URL, "url \"" + url + "\" is not one of "
                    + Route.SUPPORTED, raw, source);
        }
        JsonNode bodyNode = root.get("body");
        if (bodyNode == null || !bodyNode.isObject()) {
            return reject(customId, RejectedLine.INVALID_REQUEST, "body must be a JSON object, was "
                    + describe(bodyNode), raw, source);
        }
        ObjectNode body = (ObjectNode) bodyNode;
        defaults.applyTo(route.kind(), body);

        CheckedRequest checked = RequestCheck.check(route.kind(), body);
        if (!checked.isValid()) {
            String reasons = checked.violations().stream().map(Violation::message).collect(Collectors.joining("; "));
            return reject(customId, RejectedLine.INVALID_REQUEST, reasons, raw, source);
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            // A tree that was just parsed always serializes; reaching here is a bug, not bad input.
            throw new IllegalStateException(e);
        }
        return ParsedLine.accept(new RequestLine(
                customId,
                url,
                route.kind(),
                route.path(),
                bytes,
                body.path("model").asText(null),
                body.path("stream").asBoolean(false),
                maxTokens(body),
                promptChars(body),
                timeoutMicros(body),
                raw,
                source));
    }

    private static long timeoutMicros(ObjectNode body) {
        JsonNode n = body.get("timeout_microseconds");
        return n != null && n.canConvertToLong() && n.longValue() > 0 ? n.longValue() : 0;
    }

    /** {@code max_tokens}, else {@code max_total_tokens} (which includes the prompt: an over-estimate, on the safe side). */
    private static Integer maxTokens(ObjectNode body) {
        for (String field : new String[] {"max_tokens", "max_total_tokens"}) {
            JsonNode n = body.get(field);
            if (n != null && n.canConvertToInt()) {
                return n.intValue();
            }
        }
        return null;
    }

    /** The characters of prompt text, for the token budget's estimate; token ids count as four each. */
    static int promptChars(ObjectNode body) {
        int chars = textLength(body.get("prompt"));
        JsonNode tokens = body.get("tokens");
        if (tokens != null && tokens.isArray()) {
            chars += 4 * tokens.size();
        }
        JsonNode messages = body.get("messages");
        if (messages != null && messages.isArray()) {
            for (JsonNode m : messages) {
                chars += textLength(m.get("content"));
            }
        }
        return chars;
    }

    private static int textLength(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isTextual()) {
            return node.asText().length();
        }
        int chars = 0;
        if (node.isArray()) {
            for (JsonNode part : node) {
                chars += part.isTextual() ? part.asText().length() : textLength(part.get("text"));
            }
        }
        return chars;
    }

    private ParsedLine reject(String customId, String type, String message, String raw, String source) {
        return ParsedLine.reject(new RejectedLine(customId, type, message, raw, source));
    }

    private String shorten(String line) {
        if (line.length() <= maxRawLineChars) {
            return line;
        }
        return line.substring(0, maxRawLineChars) + "...[" + (line.length() - maxRawLineChars) + " more chars]";
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        String text = node.toString();
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /** Which operation and path a line's {@code url} names. */
    record Route(ApiKind kind, String path) {
        static final String SUPPORTED = "/v1/chat/completions, /v1/completions, "
                + "/{serverless,dedicated}/v1/{chat/completions,completions}, /serverless/tools/v1/chat/completions";

        static Route of(String url) {
            switch (url) {
                case "/v1/chat/completions":
                    return new Route(ApiKind.CHAT_COMPLETIONS, null);
                case "/v1/completions":
                    return new Route(ApiKind.COMPLETIONS, null);
                case "/serverless/v1/chat/completions":
                case "/dedicated/v1/chat/completions":
                    return new Route(ApiKind.CHAT_COMPLETIONS, url);
                case "/serverless/v1/completions":
                case "/dedicated/v1/completions":
                    return new Route(ApiKind.COMPLETIONS, url);
                case "/serverless/tools/v1/chat/completions":
                    return new Route(ApiKind.TOOL_ASSISTED_CHAT_COMPLETIONS, url);
                default:
                    return null;
            }
        }
    }
}
