package io.friendliflink.api.request;

import java.util.List;
import java.util.stream.Collectors;

/** A request body broke the API's rules; the message lists every {@link Violation#message()}. */
public final class InvalidRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public InvalidRequestException(List<Violation> violations) {
        super(violations.stream().map(Violation::message).collect(Collectors.joining("; ", "invalid request: ", "")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
