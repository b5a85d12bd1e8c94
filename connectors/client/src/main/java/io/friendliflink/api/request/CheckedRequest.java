package io.friendliflink.api.request;

import java.util.List;

/**
 * The outcome of reading and validating one request body: a request, or the rules it broke.
 *
 * @param request the typed request, or {@code null} when the body could not be read as one
 * @param violations every broken rule, empty when the request is valid
 */
public record CheckedRequest(InferenceRequest request, List<Violation> violations) {
    public CheckedRequest {
        violations = List.copyOf(violations);
    }

    public boolean isValid() {
        return violations.isEmpty();
    }
}
