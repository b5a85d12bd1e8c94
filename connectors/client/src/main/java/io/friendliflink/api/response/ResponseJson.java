package io.friendliflink.api.response;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a parsed result as the JSON body the API returns without streaming, so that a streamed answer is kept
 * (and read by tools) in the same shape as any other: {@code chat.completion} with {@code message} and the chat
 * log-probability shape ({@code logprobs.content}), or {@code text_completion} with {@code text} and the
 * completions shape ({@code tokens}, {@code token_logprobs}, {@code top_logprobs}, {@code text_offset}).
 */
public final class ResponseJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ResponseJson() {}

    /** The non-stream JSON body of {@code result}. */
    public static String write(InferenceResult result) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            boolean chat = result.object() == null || result.object().startsWith("chat");
            g.writeStartObject();
            stringField(g, "id", result.id());
            stringField(g, "object", result.object());
            if (result.created() != null) {
                g.writeNumberField("created", result.created());
            }
            stringField(g, "model", result.model());
            g.writeArrayFieldStart("choices");
            for (Choice c : result.choices()) {
                choice(g, c, chat);
            }
            g.writeEndArray();
            if (result.usage() != null) {
                usage(g, result.usage());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void choice(JsonGenerator g, Choice c, boolean chat) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", c.index());
        if (chat) {
            g.writeObjectFieldStart("message");
            g.writeStringField("role", c.role() == null ? "assistant" : c.role());
            g.writeStringField("content", c.text());
            if (!c.toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ToolCall call : c.toolCalls()) {
                    g.writeStartObject();
                    stringField(g, "id", call.id());
                    g.writeStringField("type", call.type() == null ? "function" : call.type());
                    g.writeObjectFieldStart("function");
                    stringField(g, "name", call.name());
                    stringField(g, "arguments", call.arguments());
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } else {
            g.writeStringField("text", c.text());
        }
        g.writeStringField("finish_reason", c.finishReason());
        if (c.seed() != null) {
            g.writeNumberField("seed", c.seed());
        }
        if (c.tokens() != null) {
            g.writeArrayFieldStart("tokens");
            for (int t : c.tokens()) {
                g.writeNumber(t);
            }
            g.writeEndArray();
        }
        if (c.logprobs() != null) {
            g.writeFieldName("logprobs");
            if (chat) {
                chatLogprobs(g, c.logprobs().content());
            } else {
                completionLogprobs(g, c.logprobs().content());
            }
        }
        g.writeEndObject();
    }

    private static void chatLogprobs(JsonGenerator g, List<TokenLogprob> tokens) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("content");
        for (TokenLogprob t : tokens) {
            g.writeStartObject();
            g.writeStringField("token", t.token());
            g.writeFieldName("logprob");
            logprob(g, t.logprob());
            bytes(g, t.bytes());
            g.writeArrayFieldStart("top_logprobs");
            for (TopLogprob top : t.topLogprobs()) {
                g.writeStartObject();
                g.writeStringField("token", top.token());
                g.writeFieldName("logprob");
                logprob(g, top.logprob());
                bytes(g, top.bytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void completionLogprobs(JsonGenerator g, List<TokenLogprob> tokens) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("tokens");
        for (TokenLogprob t : tokens) {
            g.writeString(t.token());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("token_logprobs");
        for (TokenLogprob t : tokens) {
            logprob(g, t.logprob());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("top_logprobs");
        for (TokenLogprob t : tokens) {
            if (t.topLogprobs().isEmpty() && Double.isNaN(t.logprob())) {
                g.writeNull(); // an echoed first token: the API has neither its logprob nor alternatives
                continue;
            }
            g.writeStartObject();
            for (TopLogprob top : t.topLogprobs()) {
                g.writeFieldName(top.token());
                logprob(g, top.logprob());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("text_offset");
        for (TokenLogprob t : tokens) {
            if (t.textOffset() == null) {
                g.writeNull();
            } else {
                g.writeNumber(t.textOffset());
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A log-probability; an unknown one ({@code NaN}, as the API's {@code null}) as {@code null}. */
    private static void logprob(JsonGenerator g, double logprob) throws IOException {
        if (Double.isNaN(logprob)) {
            g.writeNull();
        } else {
            g.writeNumber(logprob);
        }
    }

    private static void bytes(JsonGenerator g, List<Integer> bytes) throws IOException {
        if (bytes == null) {
            return;
        }
        g.writeArrayFieldStart("bytes");
        for (int b : bytes) {
            g.writeNumber(b);
        }
        g.writeEndArray();
    }

    private static void usage(JsonGenerator g, Usage u) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeNumberField("prompt_tokens", u.promptTokens());
        g.writeNumberField("completion_tokens", u.completionTokens());
        g.writeNumberField("total_tokens", u.totalTokens());
        if (u.cachedTokens() != null) {
            g.writeObjectFieldStart("prompt_tokens_details");
            g.writeNumberField("cached_tokens", u.cachedTokens());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
