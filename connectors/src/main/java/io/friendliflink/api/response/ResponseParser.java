package io.friendliflink.api.response;

import io.friendliflink.api.ApiKind;

/** Parses a non-streaming completions or chat response body into an {@link InferenceResult}. */
public final class ResponseParser {
    private ResponseParser() {}

    /** @throws MalformedBodyException when the body is not valid JSON of the documented shape */
    public static InferenceResult parse(ApiKind kind, byte[] json) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
