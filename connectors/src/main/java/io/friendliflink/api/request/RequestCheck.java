package io.friendliflink.api.request;

import com.fasterxml.jackson.databind.JsonNode;
import io.friendliflink.api.ApiKind;

/**
 * Reads a JSON body as a typed request of a kind and validates it; never throws for bad input.
 *
 * <p>The client validates with it before any call, and the emulator answers {@code 422} with the same
 * violations, so both sides enforce one set of rules.
 */
public final class RequestCheck {
    private RequestCheck() {}

    /** Reads {@code body} as a request of {@code kind}; wrong JSON types and broken rules become violations. */
    public static CheckedRequest check(ApiKind kind, JsonNode body) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
