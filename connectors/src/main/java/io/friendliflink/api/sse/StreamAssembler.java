package io.friendliflink.api.sse;

import io.friendliflink.api.ApiKind;
import io.friendliflink.api.response.InferenceResult;

/** Assembles the events of one streamed response into the same {@link InferenceResult} as a JSON body. */
public final class StreamAssembler {
    public StreamAssembler(ApiKind kind) {}

    public void accept(SseEvent event) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Whether the stream's end ({@code [DONE]}, or the older format's {@code complete}) was seen. */
    public boolean isDone() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** @throws TruncatedStreamException when the stream ended before its end marker */
    public InferenceResult finish() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
