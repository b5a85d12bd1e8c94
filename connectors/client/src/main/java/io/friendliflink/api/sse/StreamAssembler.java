package io.friendliflink.api.sse;

import com.fasterxml.jackson.core.io.JsonEOFException;
import io.friendliflink.api.ApiKind;
import io.friendliflink.api.response.ErrorBodyParser;
import io.friendliflink.api.response.InferenceResult;
import io.friendliflink.api.response.MalformedBodyException;
import io.friendliflink.api.response.ResponseParser;
import io.friendliflink.api.response.ResultAccumulator;
import io.friendliflink.api.response.ToolStatusEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Assembles the events of one streamed response into the same {@link InferenceResult} as a JSON body.
 *
 * <p>Understands completions chunks ({@code choices[].text}, {@code token}, {@code logprobs}), chat chunks
 * ({@code choices[].delta} with {@code role}, {@code content} and {@code tool_calls} pieces keyed by
 * {@code index}), the usage chunk ({@code "choices": []} with {@code usage}), tool-assisted chat's
 * {@code event: tool_status} events (kept in order), and the older format whose event type is inside the
 * JSON ({@code token_sampled} ... {@code complete}, whose choices and usage are authoritative). The stream
 * ends at {@code data: [DONE]} or {@code complete}; {@link #finish()} before that is an error, never a
 * partial result. Named events other than {@code tool_status} and {@code error} are not part of the API
 * and are skipped. The result's {@code object} is the non-stream name ({@code chat.completion} or
 * {@code text_completion}). Not thread-safe: one instance per stream.
 *
 * <pre>{@code
 * StreamAssembler assembler = new StreamAssembler(ApiKind.CHAT_COMPLETIONS);
 * SseParser parser = new SseParser(assembler::accept);
 * // parser.feed(...) as bytes arrive, then:
 * parser.end();
 * InferenceResult result = assembler.finish();
 * }</pre>
 */
public final class StreamAssembler {
    private static final String DONE = "[DONE]";

    private final String object;
    private final ResultAccumulator result = new ResultAccumulator();
    private final List<ToolStatusEvent> toolStatusEvents = new ArrayList<>();
    private boolean done;
    private int events;
    /** A chunk whose JSON stopped midway, and its event number: a truncation, unless another event follows. */
    private MalformedBodyException cutChunk;
    private int cutEvent;

    public StreamAssembler(ApiKind kind) {
        Objects.requireNonNull(kind, "kind");
        if (!kind.isGeneration()) {
            throw new IllegalArgumentException("kind must be a completions or chat kind, was " + kind);
        }
        this.object = ResponseParser.objectName(kind);
    }

    /**
     * @throws StreamErrorException when the event carries an {@code error} object (or is an {@code error} event)
     * @throws MalformedBodyException when its data is not a JSON chunk of a documented shape, or content
     *     arrives after the end of the stream, or it follows an event whose JSON stopped midway (that event
     *     was complete, so its JSON was broken, not cut off)
     */
    public void accept(SseEvent event) {
        if (cutChunk != null) {
            throw new MalformedBodyException("event " + cutEvent + " is not valid JSON (it ends before it is"
                    + " complete) and the stream went on after it", cutChunk);
        }
        events++;
        String type = event.event();
        String data = event.data();
        if ("tool_status".equals(type)) {
            requireNotDone(data);
            toolStatusEvents.add(ToolStatusEvent.fromJson(data));
            return;
        }
        if ("error".equals(type)) {
            throw new StreamErrorException(ErrorBodyParser.parse(data));
        }
        if (type != null && !type.equals("message")) {
            return;
        }
        if (isDoneMarker(data)) {
            done = true;
            return;
        }
        if (data.isBlank()) {
            return;
        }
        requireNotDone(data);
        ResultAccumulator.Merged merged;
        try {
            merged = result.merge(data);
        } catch (MalformedBodyException e) {
            if (e.getCause() instanceof JsonEOFException) {
                // A chunk whose JSON stops midway is what end() hands over when the connection was cut; but
                // only the last event can be cut off: which it is shows when the next event or finish() comes.
                cutChunk = e;
                cutEvent = events;
                return;
            }
            throw e;
        }
        switch (merged) {
            case ERROR -> throw new StreamErrorException(ErrorBodyParser.parse(data));
            case COMPLETE -> done = true;
            case CONTENT -> {}
        }
    }

    private static boolean isDoneMarker(String data) {
        return data.length() <= DONE.length() + 4 && data.strip().equals(DONE);
    }

    private void requireNotDone(String data) {
        if (done) {
            throw new MalformedBodyException("content after the end of the stream (event " + events + "): "
                    + (data.length() > 200 ? data.substring(0, 200) + "…" : data));
        }
    }

    /** Whether an event so far carried generated output: the stream's first token has arrived. */
    public boolean sawOutput() {
        return result.sawOutput();
    }

    /** Whether the stream's end ({@code [DONE]}, or the older format's {@code complete}) was seen. */
    public boolean isDone() {
        return done;
    }

    /**
     * @throws TruncatedStreamException when the stream ended before its end marker, or inside its last
     *     event (whose JSON stops midway, as a chunk cut off by a closed connection does)
     */
    public InferenceResult finish() {
        if (cutChunk != null) {
            throw new TruncatedStreamException("the stream was cut off inside event " + cutEvent
                    + ": its JSON ends before it is complete", cutChunk);
        }
        if (!done) {
            throw new TruncatedStreamException("the stream ended before its end marker (data: [DONE]) after "
                    + events + " events and " + result.choiceCount() + " choices begun; the partial result is discarded");
        }
        return result.build(object, toolStatusEvents);
    }
}
