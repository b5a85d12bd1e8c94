package io.friendliflink.emulator.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import io.friendliflink.emulator.model.BuiltInToolRun;
import io.friendliflink.emulator.model.GeneratedChoice;
import io.friendliflink.emulator.model.GeneratedToken;
import io.friendliflink.emulator.model.GeneratedToolCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts an answer into the server-sent events of a stream, each tagged with the token step it waits for.
 *
 * <p>Order: tool-assisted chat's {@code tool_status} events (STARTED, then ENDED or ERRORED per built-in
 * tool run), then per step one chunk per choice that has a piece at that step, a finishing chunk per
 * choice, the usage chunk ({@code "choices": []}) when asked for, and {@code data: [DONE]}. A chat choice
 * opens with a {@code role} delta; its content comes one token per chunk, and each tool call as a header
 * piece ({@code index}, id, name, empty arguments) followed by argument fragments to concatenate.
 */
public final class StreamFrames {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOOL_STATUS = "event: tool_status\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_ARGUMENT_FRAGMENT = 8;

    private final Answer answer;
    private final long epochSeconds;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private final List<SseFrame> frames = new ArrayList<>();

    private StreamFrames(Answer answer, long epochSeconds) {
        this.answer = answer;
        this.epochSeconds = epochSeconds;
    }

    /** All events of the answer's stream, in sending order, steps non-decreasing. */
    public static List<SseFrame> of(Answer answer) {
        StreamFrames f = new StreamFrames(answer, answer.created());
        try {
            f.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f.frames;
    }

    /** The number of token steps of the answer's stream: the longest choice, at least one. */
    public static int steps(Answer answer) {
        int steps = 1;
        for (GeneratedChoice c : answer.generation().choices()) {
            steps = Math.max(steps, answer.kind().isChat() ? chatPieces(c).size() : c.tokens().size());
        }
        return steps;
    }

    private void build() throws IOException {
        for (BuiltInToolRun run : answer.generation().toolRuns()) {
            toolStatus(run, "STARTED");
            toolStatus(run, run.errorMessage() == null ? "ENDED" : "ERRORED");
        }
        if (answer.kind().isChat()) {
            chat();
        } else {
            completions();
        }
        if (answer.includeUsage()) {
            usageChunk(steps(answer) - 1);
        }
        frames.add(new SseFrame(steps(answer) - 1, DONE));
    }

    private void completions() throws IOException {
        int steps = steps(answer);
        List<GeneratedChoice> choices = answer.generation().choices();
        int[] offsets = new int[choices.size()];
        for (int step = 0; step < steps; step++) {
            for (int ci = 0; ci < choices.size(); ci++) {
                GeneratedChoice c = choices.get(ci);
                List<GeneratedToken> tokens = c.tokens();
                boolean last = step == Math.max(0, tokens.size() - 1);
                if (step >= tokens.size() && !(tokens.isEmpty() && step == 0)) {
                    continue;
                }
                JsonGenerator g = open();
                g.writeStringField("object", "text_completion");
                g.writeArrayFieldStart("choices");
                g.writeStartObject();
                g.writeNumberField("index", c.index());
                if (tokens.isEmpty()) {
                    g.writeStringField("text", "");
                } else {
                    GeneratedToken t = tokens.get(step);
                    g.writeStringField("text", t.text());
                    g.writeNumberField("token", t.id());
                }
                g.writeStringField("finish_reason", last ? c.finishReason() : null);
                g.writeFieldName("logprobs");
                if (answer.logprobs() && !tokens.isEmpty()) {
                    JsonBodies.completionLogprobs(tokens, step, step + 1, offsets[ci], g);
                    offsets[ci] += tokens.get(step).text().length();
                } else {
                    g.writeNull();
                }
                g.writeEndObject();
                g.writeEndArray();
                close(g, step);
            }
        }
    }

    private void chat() throws IOException {
        List<GeneratedChoice> choices = answer.generation().choices();
        List<List<Piece>> pieces = new ArrayList<>(choices.size());
        for (GeneratedChoice c : choices) {
            pieces.add(chatPieces(c));
        }
        int steps = steps(answer);
        for (int step = 0; step < steps; step++) {
            for (int ci = 0; ci < choices.size(); ci++) {
                GeneratedChoice c = choices.get(ci);
                List<Piece> mine = pieces.get(ci);
                if (step == 0) {
                    chatChunk(c, step, g -> {
                        g.writeStringField("role", "assistant");
                        g.writeStringField("content", "");
                    }, null, null);
                }
                if (step < mine.size()) {
                    Piece p = mine.get(step);
                    chatChunk(c, step, p::writeDelta, p.token, null);
                }
                if (step == Math.max(0, mine.size() - 1)) {
                    chatChunk(c, step, g -> {}, null, c.finishReason());
                }
            }
        }
    }

    private interface DeltaWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private void chatChunk(GeneratedChoice c, int step, DeltaWriter delta, GeneratedToken logprobToken,
            String finishReason) throws IOException {
        JsonGenerator g = open();
        g.writeStringField("object", "chat.completion.chunk");
        g.writeArrayFieldStart("choices");
        g.writeStartObject();
        g.writeNumberField("index", c.index());
        g.writeObjectFieldStart("delta");
        delta.write(g);
        g.writeEndObject();
        g.writeFieldName("logprobs");
        if (answer.logprobs() && logprobToken != null) {
            JsonBodies.chatLogprobs(List.of(logprobToken), 0, 1, g);
        } else {
            g.writeNull();
        }
        g.writeStringField("finish_reason", finishReason);
        g.writeEndObject();
        g.writeEndArray();
        close(g, step);
    }

    private void usageChunk(int step) throws IOException {
        JsonGenerator g = open();
        g.writeStringField("object", answer.kind().isChat() ? "chat.completion.chunk" : "text_completion");
        g.writeArrayFieldStart("choices");
        g.writeEndArray();
        JsonBodies.usage(answer.generation(), g);
        close(g, step);
    }

    private void toolStatus(BuiltInToolRun run, String status) throws IOException {
        buffer.reset();
        buffer.write(TOOL_STATUS);
        buffer.write(DATA);
        JsonGenerator g = JsonBodies.JSON.createGenerator(buffer);
        g.writeStartObject();
        g.writeStringField("tool_call_id", run.toolCallId());
        g.writeStringField("name", run.name());
        g.writeStringField("status", status);
        g.writeArrayFieldStart("parameters");
        for (BuiltInToolRun.Parameter p : run.parameters()) {
            g.writeStartObject();
            g.writeStringField("name", p.name());
            g.writeStringField("value", p.value());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("result", "ENDED".equals(status) ? run.result() : null);
        g.writeNullField("files");
        g.writeNullField("message");
        if ("ERRORED".equals(status)) {
            g.writeObjectFieldStart("error");
            g.writeStringField("type", "tool_error");
            g.writeStringField("msg", run.errorMessage());
            g.writeEndObject();
        } else {
            g.writeNullField("error");
        }
        g.writeNullField("usage");
        g.writeNumberField("timestamp", epochSeconds);
        g.writeEndObject();
        g.close();
        buffer.write(END);
        frames.add(new SseFrame(-1, buffer.toByteArray()));
    }

    private JsonGenerator open() throws IOException {
        buffer.reset();
        buffer.write(DATA);
        JsonGenerator g = JsonBodies.JSON.createGenerator(buffer);
        g.writeStartObject();
        g.writeStringField("id", answer.id());
        g.writeStringField("model", answer.model());
        g.writeNumberField("created", answer.created());
        return g;
    }

    private void close(JsonGenerator g, int step) throws IOException {
        g.writeEndObject();
        g.close();
        buffer.write(END);
        frames.add(new SseFrame(step, buffer.toByteArray()));
    }

    /** One chat delta: a content token, a tool call's header, or a fragment of its arguments. */
    private record Piece(GeneratedToken token, int callIndex, GeneratedToolCall call, String fragment) {
        void writeDelta(JsonGenerator g) throws IOException {
            if (call == null) {
                g.writeStringField("content", token.text());
                return;
            }
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", callIndex);
            if (fragment == null) {
                g.writeStringField("id", call.id());
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", call.name());
                g.writeStringField("arguments", "");
            } else {
                g.writeObjectFieldStart("function");
                g.writeStringField("arguments", fragment);
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
        }
    }

    private static List<Piece> chatPieces(GeneratedChoice c) {
        List<Piece> pieces = new ArrayList<>();
        if (c.text() != null) {
            for (GeneratedToken t : c.tokens()) {
                pieces.add(new Piece(t, -1, null, null));
            }
        }
        for (int i = 0; i < c.toolCalls().size(); i++) {
            GeneratedToolCall call = c.toolCalls().get(i);
            pieces.add(new Piece(null, i, call, null));
            String args = call.argumentsJson();
            // at least two fragments whenever possible, so clients must concatenate
            int size = Math.max(1, Math.min(MAX_ARGUMENT_FRAGMENT, (args.length() + 1) / 2));
            for (int at = 0; at < args.length(); at += size) {
                pieces.add(new Piece(null, i, call, args.substring(at, Math.min(args.length(), at + size))));
            }
        }
        return pieces;
    }
}
