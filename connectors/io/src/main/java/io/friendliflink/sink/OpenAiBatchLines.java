package io.friendliflink.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Lines of OpenAI's Batch output files: {@code {"id", "custom_id", "response": {"status_code", "request_id",
 * "body"}, "error": {"code", "message"}}}, one JSON object a line, so tools written for the files OpenAI's Batch API
 * (or vLLM's {@code run_batch}) returns read ours unchanged.
 *
 * <p>A result has {@code error: null}; an error has {@code error} with the job's {@code error_type} as its code,
 * and the endpoint's answer as {@code response} when one came ({@code response: null} for a line never sent).
 * {@code id} is derived from the {@code custom_id}, so a line written again after a restore carries the same id.
 */
public final class OpenAiBatchLines {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OpenAiBatchLines() {}

    /**
     * The line of a succeeded request.
     *
     * @param requestId the response's {@code id}, or {@code null}
     * @param body the response body as JSON (for a stream, its assembled JSON)
     */
    public static String result(String customId, int statusCode, String requestId, String body) {
        return line(customId, statusCode, requestId, body, null, null);
    }

    /** The line of a failed request or an unusable input line. */
    public static String error(ErrorRow row) {
        return line(row.customId(), row.httpStatus(), null, row.responseJson(), row.errorType(), row.errorMessage());
    }

    /** The stable {@code id} of a request's line. */
    public static String id(String customId) {
        String key = customId == null ? "" : customId;
        return "batch_req_" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    private static String line(String customId, Integer statusCode, String requestId, String body, String code,
            String message) {
        StringWriter out = new StringWriter(body == null ? 256 : body.length() + 256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("id", id(customId));
            g.writeStringField("custom_id", customId);
            if (statusCode == null) {
                g.writeNullField("response");
            } else {
                g.writeObjectFieldStart("response");
                g.writeNumberField("status_code", statusCode);
                g.writeStringField("request_id", requestId);
                g.writeFieldName("body");
                writeBody(g, body);
                g.writeEndObject();
            }
            if (code == null) {
                g.writeNullField("error");
            } else {
                g.writeObjectFieldStart("error");
                g.writeStringField("code", code);
                g.writeStringField("message", message);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The body as a JSON value; a body that is not one JSON object (cut off, an event stream) as a string. */
    private static void writeBody(JsonGenerator g, String body) throws IOException {
        if (body == null) {
            g.writeNull();
            return;
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            g.writeString(body);
            return;
        }
        if (node == null || !node.isObject()) {
            g.writeString(body);
            return;
        }
        // Written from the tree, not raw, so the line stays one line whatever whitespace the endpoint used.
        MAPPER.writeTree(g, node);
    }
}
