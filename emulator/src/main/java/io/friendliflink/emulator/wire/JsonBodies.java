package io.friendliflink.emulator.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.friendliflink.api.request.Violation;
import io.friendliflink.emulator.model.GeneratedChoice;
import io.friendliflink.emulator.model.GeneratedToken;
import io.friendliflink.emulator.model.GeneratedToolCall;
import io.friendliflink.emulator.model.Generation;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the non-streamed bodies of API-NOTES: completions, chat, tokenize, detokenize and errors.
 *
 * <p>Streams JSON straight to the given output (a pooled buffer on the server), no tree in between.
 */
public final class JsonBodies {
    static final JsonFactory JSON = new JsonFactory();

    private JsonBodies() {}

    /** A {@code text_completion} or {@code chat.completion} body, by the answer's kind. */
    public static void answer(Answer a, OutputStream out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (a.kind().isChat()) {
                chat(a, g);
            } else {
                completion(a, g);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void completion(Answer a, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", a.id());
        g.writeStringField("model", a.model());
        g.writeStringField("object", "text_completion");
        g.writeNumberField("created", a.created());
        g.writeArrayFieldStart("choices");
        for (GeneratedChoice c : a.generation().choices()) {
            g.writeStartObject();
            g.writeNumberField("index", c.index());
            g.writeNumberField("seed", c.seed());
            g.writeStringField("text", c.text() == null ? "" : c.text());
            g.writeArrayFieldStart("tokens");
            for (GeneratedToken t : c.tokens()) {
                g.writeNumber(t.id());
            }
            g.writeEndArray();
            g.writeStringField("finish_reason", c.finishReason());
            if (a.logprobs()) {
                g.writeFieldName("logprobs");
                completionLogprobs(c.tokens(), 0, c.tokens().size(), 0, g);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        usage(a.generation(), g);
        g.writeEndObject();
    }

    /** The old OpenAI completions shape for tokens {@code [from, to)}; offsets start at {@code offset}. */
    static void completionLogprobs(List<GeneratedToken> tokens, int from, int to, int offset, JsonGenerator g)
            throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("tokens");
        for (int i = from; i < to; i++) {
            g.writeString(tokens.get(i).text());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("token_logprobs");
        for (int i = from; i < to; i++) {
            g.writeNumber(tokens.get(i).logprob());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("top_logprobs");
        for (int i = from; i < to; i++) {
            g.writeStartObject();
            for (GeneratedToken.Alternative alt : tokens.get(i).top()) {
                g.writeNumberField(alt.text(), alt.logprob());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("text_offset");
        int at = offset;
        for (int i = from; i < to; i++) {
            g.writeNumber(at);
            at += tokens.get(i).text().length();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void chat(Answer a, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", a.id());
        g.writeStringField("model", a.model());
        g.writeStringField("object", "chat.completion");
        g.writeNumberField("created", a.created());
        g.writeArrayFieldStart("choices");
        for (GeneratedChoice c : a.generation().choices()) {
            g.writeStartObject();
            g.writeNumberField("index", c.index());
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            g.writeStringField("content", c.text());
            if (!c.toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (GeneratedToolCall call : c.toolCalls()) {
                    g.writeStartObject();
                    g.writeStringField("id", call.id());
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", call.name());
                    g.writeStringField("arguments", call.argumentsJson());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeStringField("finish_reason", c.finishReason());
            g.writeFieldName("logprobs");
            if (a.logprobs()) {
                chatLogprobs(c.tokens(), 0, c.tokens().size(), g);
            } else {
                g.writeNull();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        usage(a.generation(), g);
        g.writeEndObject();
    }

    /** The chat shape {@code {"content":[{token, logprob, bytes, top_logprobs}]}} for tokens {@code [from, to)}. */
    static void chatLogprobs(List<GeneratedToken> tokens, int from, int to, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("content");
        for (int i = from; i < to; i++) {
            GeneratedToken t = tokens.get(i);
            g.writeStartObject();
            g.writeStringField("token", t.text());
            g.writeNumberField("logprob", t.logprob());
            bytes(t.text(), g);
            g.writeArrayFieldStart("top_logprobs");
            for (GeneratedToken.Alternative alt : t.top()) {
                g.writeStartObject();
                g.writeStringField("token", alt.text());
                g.writeNumberField("logprob", alt.logprob());
                bytes(alt.text(), g);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void bytes(String text, JsonGenerator g) throws IOException {
        g.writeArrayFieldStart("bytes");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            g.writeNumber(b & 0xff);
        }
        g.writeEndArray();
    }

    static void usage(Generation generation, JsonGenerator g) throws IOException {
        int prompt = generation.promptTokens();
        int completion = generation.completionTokens();
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", prompt);
        g.writeNumberField("completion_tokens", completion);
        g.writeNumberField("total_tokens", prompt + completion);
        g.writeEndObject();
    }

    /** {@code {"tokens":[...]}}. */
    public static void tokens(List<Integer> tokens, OutputStream out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("tokens");
            for (int t : tokens) {
                g.writeNumber(t);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code {"text":"..."}}. */
    public static void text(String text, OutputStream out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("text", text);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The OpenAI-style error body {@code {"error":{"message","type","param","code"}}}.
     *
     * @param param the offending field, or {@code null}
     * @param code a short machine-readable code, or {@code null}
     */
    public static void error(String message, String type, String param, String code, OutputStream out) {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", message);
            g.writeStringField("type", type);
            g.writeStringField("param", param);
            g.writeStringField("code", code);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A {@code 422} body listing every violation: {@code message} joins all of them (field, value and
     * rule each), {@code param} names the first field, and {@code violations} keeps them apart.
     */
    public static void violations(List<Violation> violations, OutputStream out) {
        StringBuilder message = new StringBuilder("Invalid request: ");
        for (int i = 0; i < violations.size(); i++) {
            if (i > 0) {
                message.append("; ");
            }
            message.append(violations.get(i).message());
        }
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", message.toString());
            g.writeStringField("type", "invalid_request_error");
            g.writeStringField("param", violations.isEmpty() ? null : violations.get(0).field());
            g.writeStringField("code", "invalid_parameter");
            g.writeArrayFieldStart("violations");
            for (Violation v : violations) {
                g.writeStartObject();
                g.writeStringField("field", v.field());
                g.writeStringField("value", v.value());
                g.writeStringField("rule", v.rule());
                g.writeStringField("message", v.message());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
