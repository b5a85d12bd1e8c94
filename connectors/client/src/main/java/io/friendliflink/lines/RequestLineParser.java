package io.friendliflink.lines;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.friendliflink.api.request.CheckedRequest;
import io.friendliflink.api.request.RequestCheck;
import io.friendliflink.api.request.Violation;
import io.friendliflink.client.ApiPaths;
import io.friendliflink.client.Deployment;
import io.friendliflink.client.PreparedRequest;
import java.util.stream.Collectors;

/**
 * Reads one line of the OpenAI Batch input format into a request to send, or the reason it cannot be.
 *
 * <p>A line is {@code {"custom_id": "...", "method": "POST", "url": "/v1/chat/completions", "body": {...}}}.
 * {@code url} is {@code /v1/chat/completions} or {@code /v1/completions} (sent to the configured
 * endpoint's path), or a full Friendli path such as {@code /serverless/tools/v1/chat/completions}.
 * {@code method} may be left out. The body gets the configured defaults, then passes {@link RequestCheck};
 * the bytes sent and what the pacer needs come from the checked request it returns. Never throws for
 * bad input: every problem is a {@link RejectedLine}.
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
        ApiPaths.Route route = ApiPaths.route(url);
        if (route == null || !route.kind().isGeneration()) {
            return reject(customId, RejectedLine.UNSUPPORTED_URL, "url \"" + url + "\" is not one of "
                    + String.join(", ", ApiPaths.generationUrls()), raw, source);
        }
        // OpenAI's own urls name an operation, sent to the configured endpoint; a Friendli url names its path.
        String path = route.deployment() == Deployment.OPENAI_COMPATIBLE ? null : url;
        JsonNode bodyNode = root.get("body");
        if (bodyNode == null || !bodyNode.isObject()) {
            return reject(customId, RejectedLine.INVALID_REQUEST, "body must be a JSON object, was "
                    + describe(bodyNode), raw, source);
        }
        ObjectNode body = (ObjectNode) bodyNode;
        defaults.applyTo(route.kind(), body);
        // A stream reports its usage only when asked: ask, so that streamed rows have their token counts too.
        JsonNode stream = body.get("stream");
        if (stream != null && stream.isBoolean() && stream.booleanValue() && !body.has("stream_options")) {
            body.putObject("stream_options").put("include_usage", true);
        }

        CheckedRequest checked = RequestCheck.check(route.kind(), body);
        if (!checked.isValid()) {
            String reasons = checked.violations().stream().map(Violation::message).collect(Collectors.joining("; "));
            return reject(customId, RejectedLine.INVALID_REQUEST, reasons, raw, source);
        }
        // The checked request is the one representation from here on: the bytes sent and what the pacer needs
        // are written from it, so nothing reads this line's JSON again.
        return ParsedLine.accept(new RequestLine(customId, url, PreparedRequest.ofChecked(checked, path), raw, source));
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
}
