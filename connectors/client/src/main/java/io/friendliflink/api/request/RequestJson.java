package io.friendliflink.api.request;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.friendliflink.api.ApiKind;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON codec of request bodies, written by hand field by field.
 *
 * <p>Reading keeps every field this version does not know (top-level and inside messages, tools, formats
 * and options) in its order, and writing sends them back unchanged after the known fields, so a round
 * trip of a valid body gives an equal JSON tree (numbers compare by value: {@code 1} may come back as
 * {@code 1.0} in a number field). Absent fields and explicit {@code null}s of known fields are not sent.
 *
 * <pre>{@code
 * byte[] body = RequestJson.write(request);        // a body to send (the job sends each line's own tree)
 * InferenceRequest again = RequestJson.read(ApiKind.COMPLETIONS, tree);
 * }</pre>
 */
public final class RequestJson {
    // Only its JsonFactory and tree codec are used; no databind mapping of request types happens.
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RequestJson() {}

    /**
     * Reads {@code body} as a request of {@code kind} without applying the API's range and combination rules
     * (use {@link RequestCheck#check(ApiKind, JsonNode)} for those).
     *
     * @throws InvalidRequestException when the body is not an object or a value has the wrong JSON type
     */
    public static InferenceRequest read(ApiKind kind, JsonNode body) {
        List<Violation> unreadable = RequestCheck.readability(kind, body);
        if (!unreadable.isEmpty()) {
            throw new InvalidRequestException(unreadable);
        }
        RequestReader reader = new RequestReader();
        InferenceRequest request = reader.read(kind, body);
        if (!reader.isComplete()) {
            throw new InvalidRequestException(reader.violations());
        }
        return request;
    }

    /** The body as UTF-8 JSON bytes, ready to send. */
    public static byte[] write(InferenceRequest request) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
            RequestWriter.write(request, g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the body as one JSON object to {@code generator}, which must have been made by an
     * {@code ObjectMapper} (extra fields are written as trees).
     */
    public static void write(InferenceRequest request, JsonGenerator generator) throws IOException {
        RequestWriter.write(request, generator);
    }

    /** {@code tools} as JSON text, as a body carries them: e.g. for a chat template that shows a model its tools. */
    public static String toolsJson(List<Tool> tools) {
        return text(g -> RequestWriter.tools(g, tools));
    }

    /** An assistant message's {@code tool_calls} as JSON text, as a body carries them. */
    public static String toolCallsJson(List<ChatMessage.AssistantToolCall> calls) {
        return text(g -> RequestWriter.toolCalls(g, calls));
    }

    private interface Writing {
        void to(JsonGenerator generator) throws IOException;
    }

    private static String text(Writing writing) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            writing.to(g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
        return out.toString();
    }

    /** The body as a fresh JSON tree, e.g. to inspect or log it (tests, the emulator). */
    public static ObjectNode writeTree(InferenceRequest request) {
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            RequestWriter.write(request, buffer);
            return (ObjectNode) MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
    }
}
